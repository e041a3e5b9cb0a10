package fr.actesconnector.app.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A hand-made multipart body, fields in the given order. */
final class Multipart {
    static final String BOUNDARY = "----actesTestBoundary7MA4YWxkTrZu0gW";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Multipart field(String name, String value) throws IOException {
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Multipart file(String name, String filename, String type, byte[] content) throws IOException {
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(content);
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        return this;
    }

    byte[] bytes() throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        out.writeTo(copy);
        copy.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return copy.toByteArray();
    }
}
