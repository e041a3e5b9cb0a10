package fr.actesconnector.model;

import java.util.Base64;
import java.util.Objects;

/**
 * PEM armour of a CMS signature: {@code -----BEGIN PKCS7-----}, base64 in 64-character lines. The
 * form ACTES carries in a {@code Signature} element and S²LOW takes as upload; OpenSSL's {@code cms}
 * and {@code smime} commands read it.
 */
public final class PemText {
    /** The armour's label. */
    public static final String LABEL = "PKCS7";
    private static final int LINE = 64;

    private PemText() {
    }

    /** {@code der} as PEM text ending with a newline. */
    public static String of(byte[] der) {
        Objects.requireNonNull(der, "der");
        String base64 = Base64.getEncoder().encodeToString(der);
        StringBuilder sb = new StringBuilder(base64.length() + base64.length() / LINE + 48);
        sb.append("-----BEGIN ").append(LABEL).append("-----\n");
        for (int i = 0; i < base64.length(); i += LINE) {
            sb.append(base64, i, Math.min(base64.length(), i + LINE)).append('\n');
        }
        return sb.append("-----END ").append(LABEL).append("-----\n").toString();
    }
}
