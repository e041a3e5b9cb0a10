package fr.actesconnector.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Zips for tests: edited copies of a bundle, and hostile archives (zip-slip names, duplicates, bombs). */
public final class Zips {
    private Zips() {
    }

    /** The entries of a zip, in order (test sizes only). */
    public static Map<String, byte[]> read(Path zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile f = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> en = f.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                try (InputStream in = f.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    /** Writes {@code entries} as a zip; names are written as given, even hostile ones. */
    public static Path write(Path zip, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return zip;
    }

    /** A copy of {@code in} with {@code edit} applied to the entry {@code name}. */
    public static Path edit(Path in, Path out, String name, UnaryOperator<byte[]> edit) throws IOException {
        Map<String, byte[]> entries = read(in);
        if (!entries.containsKey(name)) throw new IllegalArgumentException("no entry " + name + " in " + entries.keySet());
        entries.put(name, edit.apply(entries.get(name)));
        return write(out, entries);
    }

    /** A copy of {@code in} with one more entry. */
    public static Path add(Path in, Path out, String name, byte[] content) throws IOException {
        Map<String, byte[]> entries = read(in);
        entries.put(name, content);
        return write(out, entries);
    }

    /** A zip holding two entries both named {@code name} (ZipOutputStream refuses it: names patched afterwards). */
    public static Path duplicate(Path zip, String name) throws IOException {
        String other = "X".repeat(name.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (String n : new String[]{name, other}) {
                out.putNextEntry(new ZipEntry(n));
                out.write(n.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        byte[] b = bytes.toByteArray();
        byte[] from = other.getBytes(StandardCharsets.UTF_8);
        byte[] to = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + from.length <= b.length; i++) {
            boolean match = true;
            for (int k = 0; k < from.length && match; k++) match = b[i + k] == from[k];
            if (match) System.arraycopy(to, 0, b, i, to.length);
        }
        return Files.write(zip, b);
    }

    /**
     * A zip of one deflated entry whose headers declare {@code declaredSize} bytes once inflated (ZIP64), e.g.
     * 10 GB: the bytes are a few hundred, so only the declaration can stop it before inflating.
     */
    public static Path declaredBomb(Path zip, String name, long declaredSize) throws IOException {
        byte[] plain = new byte[1024];
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(plain);
        deflater.finish();
        byte[] buffer = new byte[4096];
        int compressedLength = deflater.deflate(buffer);
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(plain);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1024 + compressedLength).order(ByteOrder.LITTLE_ENDIAN);
        // local file header with a ZIP64 extra (sizes)
        b.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 8).putShort((short) 0).putShort((short) 0x21)
                .putInt((int) crc.getValue()).putInt(0xFFFFFFFF).putInt(0xFFFFFFFF).putShort((short) n.length).putShort((short) 20)
                .put(n).putShort((short) 1).putShort((short) 16).putLong(declaredSize).putLong(compressedLength)
                .put(buffer, 0, compressedLength);
        int cen = b.position();
        b.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0).putShort((short) 8).putShort((short) 0)
                .putShort((short) 0x21).putInt((int) crc.getValue()).putInt(0xFFFFFFFF).putInt(0xFFFFFFFF)
                .putShort((short) n.length).putShort((short) 20).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putInt(0).putInt(0).put(n).putShort((short) 1).putShort((short) 16).putLong(declaredSize).putLong(compressedLength);
        int cenSize = b.position() - cen;
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                .putInt(cenSize).putInt(cen).putShort((short) 0);
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return Files.write(zip, out);
    }

    /**
     * A copy of {@code in} with bytes of the entry {@code name} overwritten in the zip file itself (not through a
     * zip library): at {@code offset} into the entry's data, {@code value} XORed in; offset -1 is the middle of a
     * stored entry.
     */
    public static Path corruptInPlace(Path in, Path out, String name, int offset, int value) throws IOException {
        byte[] b = Files.readAllBytes(in);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 30 <= b.length; i++) {
            if (buf.getInt(i) != 0x04034b50) continue;
            int nameLength = Short.toUnsignedInt(buf.getShort(i + 26));
            int extraLength = Short.toUnsignedInt(buf.getShort(i + 28));
            if (nameLength != n.length || !java.util.Arrays.equals(b, i + 30, i + 30 + nameLength, n, 0, n.length)) continue;
            int data = i + 30 + nameLength + extraLength;
            int at = offset >= 0 ? data + offset : data + buf.getInt(i + 18) / 2;
            b[at] ^= (byte) value;
            return Files.write(out, b);
        }
        throw new IllegalArgumentException("no local header for " + name);
    }

    /**
     * A zip of one entry of {@code realSize} zeros whose central directory declares only {@code declaredSize}:
     * a bomb that lies, stopped while inflating.
     */
    public static Path lyingBomb(Path zip, String name, int realSize, int declaredSize) throws IOException {
        write(zip, Map.of(name, new byte[realSize]));
        byte[] b = Files.readAllBytes(zip);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= b.length; i++) {
            if (buf.getInt(i) == 0x02014b50) {
                buf.putInt(i + 24, declaredSize);
                break;
            }
        }
        return Files.write(zip, b);
    }
}
