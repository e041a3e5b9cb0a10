package fr.actesconnector.tdt;

/** The S²LOW contract against WireMock replaying S²LOW's replies, as the client's tests see S²LOW. */
class S2lowContractWireMockIT extends S2lowContract {
    @Override
    S2low start(S2low.Options options) throws Exception {
        return new WireMockS2low(dir, options);
    }
}
