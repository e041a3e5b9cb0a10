package fr.actesconnector.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The file types the ministry accepts, recognised by their first bytes (never by the name the
 * user gave the file), with the extension used in the ministry's file name.
 */
public enum FileKind {
    PDF("pdf", "application/pdf"),
    XML("xml", "application/xml"),
    PNG("png", "image/png"),
    JPEG("jpg", "image/jpeg");

    private static final byte[] PDF_MAGIC = {'%', 'P', 'D', 'F', '-'};
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int SNIFF = 1024;

    private final String extension;
    private final String mimeType;

    FileKind(String extension, String mimeType) {
        this.extension = extension;
        this.mimeType = mimeType;
    }

    public String extension() {
        return extension;
    }

    public String mimeType() {
        return mimeType;
    }

    /** Sniffs the first bytes of {@code file}; empty when it is none of the accepted types. */
    public static Optional<FileKind> detect(Path file) throws IOException {
        byte[] head = new byte[SNIFF];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, SNIFF);
        }
        return detect(Arrays.copyOf(head, n));
    }

    static Optional<FileKind> detect(byte[] head) {
        if (startsWith(head, 0, PDF_MAGIC)) return Optional.of(PDF);
        if (startsWith(head, 0, PNG_MAGIC)) return Optional.of(PNG);
        if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Optional.of(JPEG);
        }
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) i = 3;
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) i++;
        if (i < head.length - 1 && head[i] == '<' && (head[i + 1] == '?' || Character.isLetter(head[i + 1]))) {
            return Optional.of(XML);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        if (data.length < offset + prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (data[offset + i] != prefix[i]) return false;
        }
        return true;
    }
}
