package fr.actesconnector.tdt;

/** The S²LOW contract against the project's simulator: it must do what S²LOW does, as the client is tested on. */
class S2lowContractSimulatorIT extends S2lowContract {
    @Override
    S2low start(S2low.Options options) throws Exception {
        return new SimulatorS2low(dir, options);
    }
}
