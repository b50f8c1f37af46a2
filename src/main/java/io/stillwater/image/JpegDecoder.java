package io.stillwater.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * A pure-Java JPEG decoder (ITU T.81) for the ordinary files: 8-bit Huffman-coded baseline, extended
 * sequential and progressive JPEGs with one (greyscale) or three (YCbCr) components, any sampling
 * factors whose ratios are whole numbers, and restart intervals. It decodes the entropy-coded data into
 * coefficients first and then makes one output pass, with an inverse DCT scaled to 1/1, 1/2, 1/4 or
 * 1/8: a progressive file costs one IDCT per block however many scans it has, and a reduced decode
 * costs a fraction of a full one.
 *
 * <p>Chroma is upsampled as libjpeg does by default: a triangle filter for 2:1 horizontally (4:2:2),
 * vertically (4:4:0) or both ways (4:2:0) when the decode is not reduced to 1/8, replication
 * otherwise. YCbCr is
 * converted to RGB with libjpeg's fixed-point arithmetic.
 *
 * <p>Everything else throws {@link Unsupported} (arithmetic coding, 12-bit or lossless frames, four
 * components, an RGB file, odd sampling ratios), and damaged data throws {@link Corrupt}: truncated
 * data, a code that is not in its table, a coefficient index out of range, a missing or misplaced
 * restart marker, extraneous bytes. Every length and index is checked; work is bounded by the number
 * of blocks, and memory by the frame's size, which the caller has checked against its limits.
 *
 * <p>When decoding at 1/8 (DC only), a progressive file's AC scans are skipped without decoding
 * (so damage inside them goes unnoticed, as it would be unseen); at 1/2 and 1/4 only the
 * coefficients the reduced IDCT uses are kept, plus one bit per coefficient that successive-
 * approximation refinement needs.
 */
final class JpegDecoder {

    /** The file uses something this decoder leaves to another. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message);
        }
    }

    /** The file is damaged. */
    static final class Corrupt extends RuntimeException {
        Corrupt(String message) {
            super(message);
        }
    }

    /** Zig-zag index to natural (row-major) index. */
    static final int[] NATURAL = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63
    };

    private static final class Huffman {
        /** For a 9-bit peek: code length << 8 | symbol, or 0 when the code is longer than 9 bits. */
        final int[] lookup = new int[1 << 9];
        /** Per length 1..16: the largest code of that length, or -1. */
        final int[] maxCode = new int[18];
        /** Per length: symbol index of a code = code + offset. */
        final int[] offset = new int[17];
        final int[] symbols;
        /**
         * For an AC table, a 9-bit peek whose code and extra bits both fit: value << 16 | run << 8 |
         * bits used; 0 otherwise.
         */
        final int[] fastAc = new int[1 << 9];

        Huffman(int[] counts, int[] symbols) {
            this.symbols = symbols;
            int code = 0;
            int k = 0;
            for (int len = 1; len <= 16; len++) {
                offset[len] = k - code;
                int n = counts[len];
                if (n > 0) {
                    if (code + n > (1 << len)) {
                        throw new Corrupt("a Huffman table has more codes than fit");
                    }
                    if (len <= 9) {
                        for (int i = 0; i < n; i++) {
                            int c = code + i;
                            int shift = 9 - len;
                            int from = c << shift;
                            int entry = len << 8 | symbols[k + i];
                            for (int j = 0; j < (1 << shift); j++) {
                                lookup[from + j] = entry;
                            }
                        }
                    }
                    code += n;
                    k += n;
                    maxCode[len] = code - 1;
                } else {
                    maxCode[len] = -1;
                }
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
            for (int peek = 0; peek < lookup.length; peek++) {
                int entry = lookup[peek];
                int len = entry >> 8, rs = entry & 0xFF, size = rs & 15;
                if (entry != 0 && size != 0 && len + size <= 9) {
                    int v = (peek >> (9 - len - size)) & ((1 << size) - 1);
                    if (v < (1 << (size - 1))) {
                        v -= (1 << size) - 1;
                    }
                    fastAc[peek] = v << 16 | (rs >> 4) << 8 | (len + size);
                }
            }
        }
    }

    private static final class Component {
        final int id;
        final int h;
        final int v;
        final int tq;
        /** Blocks per line and per column, padded to whole MCUs. */
        int blocksW;
        int blocksH;
        /** Blocks a non-interleaved scan covers. */
        int coverW;
        int coverH;
        /** Kept coefficients, {@code kept} per block, natural order within the kept k x k corner. */
        short[] coef;
        /** The component's samples at the output scale, once transformed. */
        byte[] plane;
        /** Progressive only: per block, a bit per zig-zag index that is non-zero. */
        long[] nonZero;
        int[] quant;
        float[] idctTable;
        int pred;
        int dcTable;
        int acTable;

        Component(int id, int h, int v, int tq) {
            this.id = id;
            this.h = h;
            this.v = v;
            this.tq = tq;
        }
    }

    private final byte[] data;
    private final int width;
    private final int height;
    /** Samples per block side in the output: 8, 4, 2 or 1. */
    private final int k;
    private final int kept;
    /** Zig-zag index to the slot of a kept coefficient, or -1. */
    private final int[] slot = new int[64];

    private final int[][] quant = new int[4][];
    private final Huffman[] dc = new Huffman[4];
    private final Huffman[] ac = new Huffman[4];
    private Component[] components;
    private boolean progressive;
    private int restartInterval;
    private boolean jfif;
    private int adobeTransform = -1;
    private int hMax;
    private int vMax;
    private int mcusX;
    private int mcusY;
    private boolean sawScan;
    /** Sequential, all components in one scan: transformed a row of MCUs at a time. */
    private boolean streaming;

    // The bit reader.
    private int pos;
    private long buffer;
    private int bits;
    /** Zero bits appended after a marker or the end of the data; reading into them means truncation. */
    private int padding;
    private int eobRun;
    private final float[] work = new float[64];

    private JpegDecoder(byte[] data, int width, int height, int denominator) {
        if (denominator != 1 && denominator != 2 && denominator != 4 && denominator != 8) {
            throw new IllegalArgumentException("denominator " + denominator);
        }
        this.data = data;
        this.width = width;
        this.height = height;
        this.k = 8 / denominator;
        this.kept = k * k;
        for (int z = 0; z < 64; z++) {
            int n = NATURAL[z];
            int row = n >> 3, col = n & 7;
            slot[z] = row < k && col < k ? row * k + col : -1;
        }
    }

    /**
     * Decodes {@code data}, whose frame must be {@code width} x {@code height} (as already checked by
     * the caller), at 1/{@code denominator} of that size (1, 2, 4 or 8; sides rounded up) into
     * {@code TYPE_INT_RGB}.
     *
     * @throws Unsupported for a file this decoder does not handle
     * @throws Corrupt for damaged data
     */
    static BufferedImage decode(byte[] data, int width, int height, int denominator) {
        JpegDecoder decoder = new JpegDecoder(data, width, height, denominator);
        decoder.parse();
        return decoder.output();
    }

    // ---------------------------------------------------------------- markers

    private int u8(int at) {
        if (at >= data.length) {
            throw new Corrupt("the jpeg ends early");
        }
        return data[at] & 0xFF;
    }

    private int u16(int at) {
        return u8(at) << 8 | u8(at + 1);
    }

    private void parse() {
        if (data.length < 4 || u16(0) != 0xFFD8) {
            throw new Corrupt("not a jpeg");
        }
        pos = 2;
        while (true) {
            if (u8(pos) != 0xFF) {
                throw new Corrupt("extraneous bytes before a marker at " + pos);
            }
            while (u8(pos) == 0xFF) {
                pos++;
            }
            int marker = u8(pos);
            pos++;
            if (marker == 0xD9) {
                break;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x00) {
                throw new Corrupt("unexpected marker %02X at %d".formatted(marker, pos - 1));
            }
            int length = u16(pos);
            if (length < 2 || pos + length > data.length) {
                throw new Corrupt("a segment's length runs past the end of the jpeg");
            }
            int start = pos + 2;
            int end = pos + length;
            switch (marker) {
                case 0xC0, 0xC1 -> frame(start, end, false);
                case 0xC2 -> frame(start, end, true);
                case 0xC4 -> huffmanTables(start, end);
                case 0xDB -> quantTables(start, end);
                case 0xDD -> {
                    if (length != 4) {
                        throw new Corrupt("a DRI segment of length " + length);
                    }
                    restartInterval = u16(start);
                }
                case 0xE0 -> jfif |= end - start >= 5 && u8(start) == 'J' && u8(start + 1) == 'F' && u8(start + 2) == 'I'
                        && u8(start + 3) == 'F' && u8(start + 4) == 0;
                case 0xEE -> {
                    if (end - start >= 12 && u8(start) == 'A' && u8(start + 1) == 'd' && u8(start + 2) == 'o'
                            && u8(start + 3) == 'b' && u8(start + 4) == 'e') {
                        adobeTransform = u8(start + 11);
                    }
                }
                case 0xDA -> {
                    pos = end;
                    scan(start, end);
                    continue;
                }
                case 0xDC -> throw new Unsupported("a DNL marker");
                default -> {
                    if (marker >= 0xC3 && marker <= 0xCF) {
                        throw new Unsupported("a JPEG process other than Huffman baseline, extended or progressive (SOF%d)"
                                .formatted(marker - 0xC0));
                    }
                    // APPn, COM and others: skipped
                }
            }
            pos = end;
        }
        if (!sawScan) {
            throw new Corrupt("the jpeg has no image data");
        }
    }

    private void frame(int start, int end, boolean progressive) {
        if (components != null) {
            throw new Corrupt("two frame headers");
        }
        if (end - start < 6) {
            throw new Corrupt("a short frame header");
        }
        if (u8(start) != 8) {
            throw new Unsupported("%d-bit samples".formatted(u8(start)));
        }
        int h = u16(start + 1), w = u16(start + 3), n = u8(start + 5);
        if (w != width || h != height) {
            throw new Corrupt("the frame is %d x %d, expected %d x %d".formatted(w, h, width, height));
        }
        if (n != 1 && n != 3) {
            throw new Unsupported(n + " components");
        }
        if (end - start != 6 + 3 * n) {
            throw new Corrupt("a frame header of the wrong length");
        }
        this.progressive = progressive;
        components = new Component[n];
        for (int i = 0; i < n; i++) {
            int at = start + 6 + 3 * i;
            int id = u8(at), hv = u8(at + 1), tq = u8(at + 2);
            int ch = hv >> 4, cv = hv & 15;
            if (ch < 1 || ch > 4 || cv < 1 || cv > 4 || tq > 3) {
                throw new Corrupt("bad sampling factors or table in the frame header");
            }
            for (int j = 0; j < i; j++) {
                if (components[j].id == id) {
                    throw new Corrupt("two components with the same id");
                }
            }
            components[i] = new Component(id, ch, cv, tq);
            hMax = Math.max(hMax, ch);
            vMax = Math.max(vMax, cv);
        }
        if (n == 1) {
            // A single component is never interleaved: its MCU is one block whatever its factors say.
            components[0] = new Component(components[0].id, 1, 1, components[0].tq);
            hMax = 1;
            vMax = 1;
        }
        if (n == 3) {
            if (adobeTransform == 0 || (!jfif && adobeTransform < 0 && components[0].id == 'R'
                    && components[1].id == 'G' && components[2].id == 'B')) {
                throw new Unsupported("an RGB jpeg");
            }
        }
        for (Component c : components) {
            if (hMax % c.h != 0 || vMax % c.v != 0) {
                throw new Unsupported("sampling factors with a fractional ratio");
            }
        }
        mcusX = ceilDiv(width, 8 * hMax);
        mcusY = ceilDiv(height, 8 * vMax);
        for (Component c : components) {
            c.blocksW = mcusX * c.h;
            c.blocksH = mcusY * c.v;
            c.coverW = ceilDiv(ceilDiv(width * c.h, hMax), 8);
            c.coverH = ceilDiv(ceilDiv(height * c.v, vMax), 8);
            long size = (long) c.blocksW * c.blocksH * Math.max(kept, k * k);
            if (size > Integer.MAX_VALUE - 16) {
                throw new Unsupported("too large");
            }
        }
    }

    /**
     * Coefficient storage, once, at the first scan. A sequential file whose first scan holds every
     * component (the usual single interleaved scan) is decoded a row of MCUs at a time, each row
     * transformed into the sample planes as soon as it is complete; any other file keeps every
     * block's coefficients until the end.
     */
    private void allocate(int scanComponentCount) {
        if (components[0].coef != null || components[0].plane != null) {
            return;
        }
        streaming = !progressive && scanComponentCount == components.length;
        for (Component c : components) {
            int rows = streaming ? c.v : c.blocksH;
            c.coef = new short[c.blocksW * rows * kept];
            if (progressive && k > 1) {
                c.nonZero = new long[c.blocksW * c.blocksH];
            }
            if (streaming) {
                c.plane = new byte[c.blocksW * k * c.blocksH * k];
            }
        }
    }

    private void huffmanTables(int start, int end) {
        int at = start;
        while (at < end) {
            int tc = u8(at) >> 4, th = u8(at) & 15;
            if (tc > 1 || th > 3) {
                throw new Corrupt("a Huffman table with class %d and id %d".formatted(tc, th));
            }
            if (at + 17 > end) {
                throw new Corrupt("a short Huffman table");
            }
            int[] counts = new int[17];
            int total = 0;
            for (int len = 1; len <= 16; len++) {
                counts[len] = u8(at + len);
                total += counts[len];
            }
            at += 17;
            if (total > 256 || at + total > end) {
                throw new Corrupt("a Huffman table's symbols run past its segment");
            }
            int[] symbols = new int[total];
            for (int i = 0; i < total; i++) {
                symbols[i] = u8(at + i);
                if (tc == 0 && symbols[i] > 11) {
                    throw new Corrupt("a DC Huffman table with a difference of %d bits".formatted(symbols[i]));
                }
            }
            at += total;
            (tc == 0 ? dc : ac)[th] = new Huffman(counts, symbols);
        }
    }

    private void quantTables(int start, int end) {
        int at = start;
        while (at < end) {
            int pq = u8(at) >> 4, tq = u8(at) & 15;
            if (pq > 1 || tq > 3) {
                throw new Corrupt("a quantization table with precision %d and id %d".formatted(pq, tq));
            }
            at++;
            int size = pq == 0 ? 64 : 128;
            if (at + size > end) {
                throw new Corrupt("a short quantization table");
            }
            int[] table = new int[64];
            for (int z = 0; z < 64; z++) {
                table[NATURAL[z]] = pq == 0 ? u8(at + z) : u16(at + 2 * z);
            }
            at += size;
            quant[tq] = table;
        }
    }

    // ---------------------------------------------------------------- scans

    private void scan(int start, int end) {
        if (components == null) {
            throw new Corrupt("a scan before the frame header");
        }
        int n = u8(start);
        if (n < 1 || n > components.length || end - start != 4 + 2 * n) {
            throw new Corrupt("a scan header of the wrong length");
        }
        Component[] scanComponents = new Component[n];
        for (int i = 0; i < n; i++) {
            int id = u8(start + 1 + 2 * i), tables = u8(start + 2 + 2 * i);
            Component found = null;
            for (Component c : components) {
                if (c.id == id) {
                    found = c;
                }
            }
            if (found == null) {
                throw new Corrupt("a scan names component " + id + ", which the frame does not have");
            }
            for (int j = 0; j < i; j++) {
                if (scanComponents[j] == found) {
                    throw new Corrupt("a scan names a component twice");
                }
            }
            found.dcTable = tables >> 4;
            found.acTable = tables & 15;
            if (found.dcTable > 3 || found.acTable > 3) {
                throw new Corrupt("a scan names a Huffman table out of range");
            }
            scanComponents[i] = found;
        }
        int at = start + 1 + 2 * n;
        int ss = u8(at), se = u8(at + 1), ah = u8(at + 2) >> 4, al = u8(at + 2) & 15;
        if (progressive) {
            boolean ok = ss <= se && se <= 63 && al <= 13 && (ah == 0 || ah == al + 1)
                    && (ss == 0 ? se == 0 : n == 1);
            if (!ok) {
                throw new Corrupt("a progressive scan with bad parameters");
            }
        } else if (ss != 0 || se != 63 || ah != 0 || al != 0) {
            throw new Corrupt("a sequential scan with progressive parameters");
        }
        for (Component c : scanComponents) {
            if (c.quant == null) {
                if (quant[c.tq] == null) {
                    throw new Corrupt("a component's quantization table is not defined");
                }
                c.quant = quant[c.tq].clone();
            }
            if (ss == 0 && ah == 0 && dc[c.dcTable] == null) {
                throw new Corrupt("a scan uses an undefined DC Huffman table");
            }
            if (se > 0 && ac[c.acTable] == null) {
                throw new Corrupt("a scan uses an undefined AC Huffman table");
            }
        }
        if (!progressive && sawScan) {
            for (Component c : scanComponents) {
                if (c.plane != null || streaming) {
                    throw new Unsupported("a sequential jpeg with more than one scan of a component");
                }
            }
        }
        sawScan = true;
        allocate(n);
        if (ss > 0 && k == 1) {
            // DC only: no AC band matters. (At 1/2 and 1/4 a band with no kept coefficient cannot be
            // skipped: a later refinement scan over kept ones needs to know which of its others are set.)
            skipEntropyData();
            return;
        }
        decodeScan(scanComponents, ss, se, ah, al);
    }

    /** Moves past a scan's entropy-coded data to the next marker other than a restart. */
    private void skipEntropyData() {
        int at = pos;
        while (true) {
            if (at + 1 >= data.length) {
                throw new Corrupt("the jpeg ends inside a scan");
            }
            if ((data[at] & 0xFF) == 0xFF) {
                int next = data[at + 1] & 0xFF;
                if (next != 0 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) {
                    pos = at;
                    return;
                }
                at += next == 0xFF ? 1 : 2;
            } else {
                at++;
            }
        }
    }

    private void decodeScan(Component[] scanComponents, int ss, int se, int ah, int al) {
        buffer = 0;
        bits = 0;
        padding = 0;
        eobRun = 0;
        for (Component c : scanComponents) {
            c.pred = 0;
        }
        boolean interleaved = scanComponents.length > 1;
        long units = interleaved ? (long) mcusX * mcusY : (long) scanComponents[0].coverW * scanComponents[0].coverH;
        int restart = restartInterval;
        int expectedRst = 0;
        int mode = !progressive ? 0 : ss == 0 ? (ah == 0 ? 1 : 2) : (ah == 0 ? 3 : 4);
        for (long unit = 0; unit < units; unit++) {
            if (restart > 0 && unit > 0 && unit % restart == 0) {
                restartMarker(expectedRst);
                expectedRst = (expectedRst + 1) & 7;
                for (Component c : scanComponents) {
                    c.pred = 0;
                }
                eobRun = 0;
            }
            if (interleaved) {
                int mx = (int) (unit % mcusX), my = (int) (unit / mcusX);
                for (Component c : scanComponents) {
                    int row0 = streaming ? 0 : my * c.v;
                    for (int by = 0; by < c.v; by++) {
                        for (int bx = 0; bx < c.h; bx++) {
                            int block = (row0 + by) * c.blocksW + mx * c.h + bx;
                            decodeBlock(c, block, mode, ss, se, al);
                        }
                    }
                }
                if (streaming && mx == mcusX - 1) {
                    for (Component c : scanComponents) {
                        transform(c, my * c.v, my * c.v + c.v);
                    }
                }
            } else {
                Component c = scanComponents[0];
                int bx = (int) (unit % c.coverW), by = (int) (unit / c.coverW);
                decodeBlock(c, (streaming ? 0 : by * c.blocksW) + bx, mode, ss, se, al);
                if (streaming && bx == c.coverW - 1) {
                    transform(c, by, by + 1);
                }
            }
            if (bits < padding) {
                throw new Corrupt("the jpeg's image data ends early");
            }
        }
        // Only the padding of the last byte may be left; the next marker must follow.
        if (bits - padding >= 8) {
            throw new Corrupt("extraneous data at the end of a scan");
        }
        if (pos >= data.length || (data[pos] & 0xFF) != 0xFF) {
            throw new Corrupt("the jpeg ends inside a scan");
        }
    }

    private void restartMarker(int expected) {
        if (bits - padding >= 8) {
            throw new Corrupt("extraneous data before a restart marker");
        }
        buffer = 0;
        bits = 0;
        padding = 0;
        if (pos + 1 >= data.length || (data[pos] & 0xFF) != 0xFF || (data[pos + 1] & 0xFF) != 0xD0 + expected) {
            throw new Corrupt("a missing or misplaced restart marker");
        }
        pos += 2;
    }

    private void fill() {
        while (bits <= 56) {
            int b;
            if (pos < data.length) {
                b = data[pos] & 0xFF;
                if (b == 0xFF) {
                    int next = pos + 1 < data.length ? data[pos + 1] & 0xFF : -1;
                    if (next == 0) {
                        pos += 2;
                    } else {
                        b = 0;
                        padding += 8;
                    }
                } else {
                    pos++;
                }
            } else {
                b = 0;
                padding += 8;
            }
            buffer = buffer << 8 | b;
            bits += 8;
        }
    }

    private int decodeSymbol(Huffman table) {
        if (bits < 16) {
            fill();
        }
        int entry = table.lookup[(int) (buffer >>> (bits - 9)) & 0x1FF];
        if (entry != 0) {
            bits -= entry >> 8;
            return entry & 0xFF;
        }
        int code = (int) (buffer >>> (bits - 16)) & 0xFFFF;
        for (int len = 10; len <= 16; len++) {
            int c = code >>> (16 - len);
            if (c <= table.maxCode[len]) {
                int index = c + table.offset[len];
                if (index < 0 || index >= table.symbols.length) {
                    break;
                }
                bits -= len;
                return table.symbols[index];
            }
        }
        throw new Corrupt("a Huffman code that is not in its table");
    }

    private int readBits(int n) {
        if (n == 0) {
            return 0;
        }
        if (bits < n) {
            fill();
        }
        bits -= n;
        return (int) (buffer >>> bits) & ((1 << n) - 1);
    }

    private int receiveExtend(int s) {
        if (s == 0) {
            return 0;
        }
        int v = readBits(s);
        return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
    }

    private void decodeBlock(Component c, int block, int mode, int ss, int se, int al) {
        short[] coef = c.coef;
        int base = block * kept;
        switch (mode) {
            case 0 -> {
                c.pred += receiveExtend(decodeSymbol(dc[c.dcTable]));
                coef[base] = (short) c.pred;
                Huffman table = ac[c.acTable];
                int[] fastAc = table.fastAc;
                for (int z = 1; z < 64; z++) {
                    if (bits < 16) {
                        fill();
                    }
                    int fast = fastAc[(int) (buffer >>> (bits - 9)) & 0x1FF];
                    if (fast != 0) {
                        bits -= fast & 0xFF;
                        z += (fast >> 8) & 0xFF;
                        if (z > 63) {
                            throw new Corrupt("a coefficient index past the block");
                        }
                        int sl = slot[z];
                        if (sl >= 0) {
                            coef[base + sl] = (short) (fast >> 16);
                        }
                        continue;
                    }
                    int rs = decodeSymbol(table);
                    int r = rs >> 4, s = rs & 15;
                    if (s == 0) {
                        if (r != 15) {
                            break;
                        }
                        z += 15;
                        continue;
                    }
                    z += r;
                    if (z > 63) {
                        throw new Corrupt("a coefficient index past the block");
                    }
                    int value = receiveExtend(s);
                    int sl = slot[z];
                    if (sl >= 0) {
                        coef[base + sl] = (short) value;
                    }
                }
            }
            case 1 -> {
                c.pred += receiveExtend(decodeSymbol(dc[c.dcTable]));
                coef[base] = (short) (c.pred << al);
            }
            case 2 -> {
                if (readBits(1) != 0) {
                    coef[base] |= (short) (1 << al);
                }
            }
            case 3 -> acFirst(c, block, ss, se, al);
            default -> acRefine(c, block, ss, se, al);
        }
    }

    private void acFirst(Component c, int block, int ss, int se, int al) {
        if (eobRun > 0) {
            eobRun--;
            return;
        }
        short[] coef = c.coef;
        int base = block * kept;
        long mask = c.nonZero[block];
        Huffman table = ac[c.acTable];
        for (int z = ss; z <= se; z++) {
            int rs = decodeSymbol(table);
            int r = rs >> 4, s = rs & 15;
            if (s == 0) {
                if (r < 15) {
                    eobRun = (1 << r) - 1 + readBits(r);
                    break;
                }
                z += 15;
                continue;
            }
            z += r;
            if (z > se) {
                throw new Corrupt("a coefficient index past the scan's band");
            }
            int value = receiveExtend(s) * (1 << al);
            mask |= 1L << z;
            int sl = slot[z];
            if (sl >= 0) {
                coef[base + sl] = (short) value;
            }
        }
        c.nonZero[block] = mask;
    }

    private void acRefine(Component c, int block, int ss, int se, int al) {
        short[] coef = c.coef;
        int base = block * kept;
        long mask = c.nonZero[block];
        int p1 = 1 << al;
        int m1 = -1 << al;
        int z = ss;
        if (eobRun == 0) {
            Huffman table = ac[c.acTable];
            for (; z <= se; z++) {
                int rs = decodeSymbol(table);
                int r = rs >> 4, s = rs & 15;
                int value = 0;
                if (s != 0) {
                    if (s != 1) {
                        throw new Corrupt("a refinement coefficient larger than one bit");
                    }
                    value = readBits(1) != 0 ? p1 : m1;
                } else if (r != 15) {
                    eobRun = (1 << r) + readBits(r);
                    break;
                }
                while (z <= se) {
                    if ((mask >>> z & 1) != 0) {
                        if (readBits(1) != 0) {
                            refine(coef, base, z, p1, m1);
                        }
                    } else {
                        if (--r < 0) {
                            break;
                        }
                    }
                    z++;
                }
                if (s != 0) {
                    if (z > se) {
                        throw new Corrupt("a coefficient index past the scan's band");
                    }
                    mask |= 1L << z;
                    int sl = slot[z];
                    if (sl >= 0) {
                        coef[base + sl] = (short) value;
                    }
                }
            }
        }
        if (eobRun > 0) {
            for (; z <= se; z++) {
                if ((mask >>> z & 1) != 0 && readBits(1) != 0) {
                    refine(coef, base, z, p1, m1);
                }
            }
            eobRun--;
        }
        c.nonZero[block] = mask;
    }

    private void refine(short[] coef, int base, int z, int p1, int m1) {
        int sl = slot[z];
        if (sl >= 0) {
            int v = coef[base + sl];
            if ((v & p1) == 0) {
                coef[base + sl] = (short) (v >= 0 ? v + p1 : v + m1);
            }
        }
    }

    // ---------------------------------------------------------------- output

    private BufferedImage output() {
        int outW = ceilDiv(width, 8 / k);
        int outH = ceilDiv(height, 8 / k);
        byte[][] planes = new byte[components.length][];
        int[] planeW = new int[components.length];
        for (int i = 0; i < components.length; i++) {
            Component c = components[i];
            if (c.quant == null) {
                throw new Corrupt("a component has no image data");
            }
            planeW[i] = c.blocksW * k;
            if (c.plane == null) {
                c.plane = new byte[c.blocksW * k * c.blocksH * k];
                transform(c, 0, c.blocksH);
            }
            planes[i] = c.plane;
            c.plane = null;
            c.coef = null;
            c.nonZero = null;
        }
        BufferedImage image = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        if (components.length == 1) {
            byte[] plane = planes[0];
            for (int y = 0; y < outH; y++) {
                int from = y * planeW[0], to = y * outW;
                for (int x = 0; x < outW; x++) {
                    int g = plane[from + x] & 0xFF;
                    rgb[to + x] = g << 16 | g << 8 | g;
                }
            }
            return image;
        }
        int[] cb = new int[outW];
        int[] cr = new int[outW];
        int[] colsum = new int[Math.max(planeW[1], planeW[2])];
        byte[] luma = planes[0];
        int lumaStride = planeW[0];
        int yRatioH = hMax / components[0].h, yRatioV = vMax / components[0].v;
        int[] lumaRow = yRatioH == 1 ? null : new int[outW];
        for (int y = 0; y < outH; y++) {
            upsampleRow(planes[1], planeW[1], ceilDiv(outH, vMax / components[1].v), hMax / components[1].h,
                    vMax / components[1].v, y, outW, colsum, cb);
            upsampleRow(planes[2], planeW[2], ceilDiv(outH, vMax / components[2].v), hMax / components[2].h,
                    vMax / components[2].v, y, outW, colsum, cr);
            int to = y * outW;
            int from = (y / yRatioV) * lumaStride;
            if (lumaRow != null) {
                for (int x = 0; x < outW; x++) {
                    lumaRow[x] = luma[from + x / yRatioH] & 0xFF;
                }
            }
            for (int x = 0; x < outW; x++) {
                int l = lumaRow == null ? luma[from + x] & 0xFF : lumaRow[x];
                int b = cb[x], r = cr[x];
                int red = l + CR_R[r];
                int green = l + ((CB_G[b] + CR_G[r]) >> 16);
                int blue = l + CB_B[b];
                rgb[to + x] = clamp(red) << 16 | clamp(green) << 8 | clamp(blue);
            }
        }
        return image;
    }

    /**
     * One output row of a chroma plane at full output resolution: the triangle filter for 2:1
     * horizontally (and 2:1 vertically, or not subsampled vertically) as libjpeg's fancy upsampling,
     * unless decoding at 1/8; replication for everything else.
     */
    private void upsampleRow(byte[] plane, int stride, int rows, int rh, int rv, int y, int outW, int[] colsum,
            int[] out) {
        boolean fancy = k > 1 && ((rh == 2 && (rv == 1 || rv == 2)) || (rh == 1 && rv == 2));
        if (fancy && rh == 1) {
            // 4:4:0: the nearer chroma row weighs three times the farther.
            int near = y >> 1;
            boolean upper = (y & 1) == 0;
            int far = upper ? Math.max(0, near - 1) : Math.min(rows - 1, near + 1);
            int a = near * stride, b = far * stride, bias = upper ? 1 : 2;
            for (int x = 0; x < outW; x++) {
                out[x] = ((plane[a + x] & 0xFF) * 3 + (plane[b + x] & 0xFF) + bias) >> 2;
            }
            return;
        }
        if (!fancy) {
            int from = (y / rv) * stride;
            for (int x = 0; x < outW; x++) {
                out[x] = plane[from + x / rh] & 0xFF;
            }
            return;
        }
        // Neighbours past the last sample the image uses repeat it, as libjpeg's edge expansion does.
        int cw = ceilDiv(outW, 2);
        if (rv == 1) {
            int from = y * stride;
            for (int i = 0; i < cw; i++) {
                int here = plane[from + i] & 0xFF;
                int left = i > 0 ? plane[from + i - 1] & 0xFF : here;
                int right = i + 1 < cw ? plane[from + i + 1] & 0xFF : here;
                int x = 2 * i;
                out[x] = i == 0 ? here : (here * 3 + left + 1) >> 2;
                if (x + 1 < outW) {
                    out[x + 1] = (here * 3 + right + 2) >> 2;
                }
            }
            return;
        }
        int near = y >> 1;
        int far = (y & 1) == 0 ? Math.max(0, near - 1) : Math.min(rows - 1, near + 1);
        int a = near * stride, b = far * stride;
        for (int i = 0; i < cw; i++) {
            colsum[i] = (plane[a + i] & 0xFF) * 3 + (plane[b + i] & 0xFF);
        }
        for (int i = 0; i < cw; i++) {
            int here = colsum[i];
            int left = i > 0 ? colsum[i - 1] : here;
            int right = i + 1 < cw ? colsum[i + 1] : here;
            int x = 2 * i;
            out[x] = (here * 3 + left + 8) >> 4;
            if (x + 1 < outW) {
                out[x + 1] = (here * 3 + right + 7) >> 4;
            }
        }
    }

    /**
     * Transforms block rows {@code from} to {@code to} of a component into its plane: from its whole
     * coefficient store, or, when streaming, from the one row of MCUs it holds, which is then cleared.
     */
    private void transform(Component c, int from, int to) {
        int stride = c.blocksW * k;
        byte[] plane = c.plane;
        int[] q = c.quant;
        if (c.idctTable == null) {
            c.idctTable = new float[64];
            for (int i = 0; i < 64; i++) {
                c.idctTable[i] = k == 8 ? (float) (q[i] * AAN[i >> 3] * AAN[i & 7] / 8) : q[i];
            }
        }
        float[] table = c.idctTable;
        float[] work = this.work;
        short[] coef = c.coef;
        int row0 = streaming ? from : 0;
        for (int by = from; by < to; by++) {
            for (int bx = 0; bx < c.blocksW; bx++) {
                int base = ((by - row0) * c.blocksW + bx) * kept;
                int at = by * k * stride + bx * k;
                switch (k) {
                    case 8 -> idct8(coef, base, table, work, plane, at, stride);
                    case 1 -> plane[at] = (byte) clamp(Math.round(coef[base] * q[0] / 8f) + 128);
                    default -> idctReduced(coef, base, q, work, plane, at, stride);
                }
            }
        }
        if (streaming) {
            java.util.Arrays.fill(coef, 0, (to - from) * c.blocksW * kept, (short) 0);
        }
    }

    /** libjpeg's scale factors for the AAN IDCT: 1 and cos(k pi / 16) * sqrt(2). */
    private static final double[] AAN = new double[8];

    static {
        AAN[0] = 1;
        for (int i = 1; i < 8; i++) {
            AAN[i] = Math.cos(i * Math.PI / 16) * Math.sqrt(2);
        }
    }

    /** The separable AAN (Arai, Agui, Nakajima) inverse DCT in floating point, as libjpeg's jidctflt. */
    private static void idct8(short[] coef, int base, float[] q, float[] work, byte[] out, int to, int stride) {
        for (int col = 0; col < 8; col++) {
            int i = base + col;
            if (coef[i + 8] == 0 && coef[i + 16] == 0 && coef[i + 24] == 0 && coef[i + 32] == 0 && coef[i + 40] == 0
                    && coef[i + 48] == 0 && coef[i + 56] == 0) {
                float dcValue = coef[i] * q[col];
                for (int row = 0; row < 8; row++) {
                    work[row * 8 + col] = dcValue;
                }
                continue;
            }
            float t0 = coef[i] * q[col];
            float t1 = coef[i + 16] * q[16 + col];
            float t2 = coef[i + 32] * q[32 + col];
            float t3 = coef[i + 48] * q[48 + col];
            float t10 = t0 + t2, t11 = t0 - t2;
            float t13 = t1 + t3, t12 = (t1 - t3) * 1.414213562f - t13;
            t0 = t10 + t13;
            t3 = t10 - t13;
            t1 = t11 + t12;
            t2 = t11 - t12;
            float t4 = coef[i + 8] * q[8 + col];
            float t5 = coef[i + 24] * q[24 + col];
            float t6 = coef[i + 40] * q[40 + col];
            float t7 = coef[i + 56] * q[56 + col];
            float z13 = t6 + t5, z10 = t6 - t5, z11 = t4 + t7, z12 = t4 - t7;
            t7 = z11 + z13;
            t11 = (z11 - z13) * 1.414213562f;
            float z5 = (z10 + z12) * 1.847759065f;
            t10 = 1.082392200f * z12 - z5;
            t12 = -2.613125930f * z10 + z5;
            t6 = t12 - t7;
            t5 = t11 - t6;
            t4 = t10 + t5;
            work[col] = t0 + t7;
            work[56 + col] = t0 - t7;
            work[8 + col] = t1 + t6;
            work[48 + col] = t1 - t6;
            work[16 + col] = t2 + t5;
            work[40 + col] = t2 - t5;
            work[32 + col] = t3 + t4;
            work[24 + col] = t3 - t4;
        }
        for (int row = 0; row < 8; row++) {
            int w = row * 8;
            float t10 = work[w] + work[w + 4], t11 = work[w] - work[w + 4];
            float t13 = work[w + 2] + work[w + 6], t12 = (work[w + 2] - work[w + 6]) * 1.414213562f - t13;
            float t0 = t10 + t13, t3 = t10 - t13, t1 = t11 + t12, t2 = t11 - t12;
            float z13 = work[w + 5] + work[w + 3], z10 = work[w + 5] - work[w + 3];
            float z11 = work[w + 1] + work[w + 7], z12 = work[w + 1] - work[w + 7];
            float t7 = z11 + z13;
            t11 = (z11 - z13) * 1.414213562f;
            float z5 = (z10 + z12) * 1.847759065f;
            t10 = 1.082392200f * z12 - z5;
            t12 = -2.613125930f * z10 + z5;
            float t6 = t12 - t7, t5 = t11 - t6, t4 = t10 + t5;
            int o = to + row * stride;
            out[o] = sample(t0 + t7);
            out[o + 7] = sample(t0 - t7);
            out[o + 1] = sample(t1 + t6);
            out[o + 6] = sample(t1 - t6);
            out[o + 2] = sample(t2 + t5);
            out[o + 5] = sample(t2 - t5);
            out[o + 4] = sample(t3 + t4);
            out[o + 3] = sample(t3 - t4);
        }
    }

    private static byte sample(float v) {
        int i = (int) (v + 128.5f);
        return (byte) (i < 0 ? 0 : i > 255 ? 255 : i);
    }

    /** Basis for the k-point IDCTs of the k x k lowest frequencies: C(u)/2 cos((2i+1) u pi / 2k). */
    private static final float[][] BASIS = new float[9][];

    static {
        for (int n : new int[] {2, 4, 8}) {
            float[] m = new float[n * n];
            for (int i = 0; i < n; i++) {
                for (int u = 0; u < n; u++) {
                    double cu = u == 0 ? Math.sqrt(0.5) : 1;
                    m[i * n + u] = (float) (cu / 2 * Math.cos((2 * i + 1) * u * Math.PI / (2 * n)));
                }
            }
            BASIS[n] = m;
        }
    }

    private void idctReduced(short[] coef, int base, int[] q, float[] work, byte[] out, int to, int stride) {
        float[] m = BASIS[k];
        // Rows of frequencies v (kept corner is k x k, natural order within it), then columns.
        for (int v = 0; v < k; v++) {
            for (int x = 0; x < k; x++) {
                float sum = 0;
                for (int u = 0; u < k; u++) {
                    int c = coef[base + v * k + u];
                    if (c != 0) {
                        sum += m[x * k + u] * c * q[v * 8 + u];
                    }
                }
                work[v * k + x] = sum;
            }
        }
        for (int x = 0; x < k; x++) {
            for (int y = 0; y < k; y++) {
                float sum = 0;
                for (int v = 0; v < k; v++) {
                    sum += m[y * k + v] * work[v * k + x];
                }
                out[to + y * stride + x] = sample(sum);
            }
        }
    }

    /** Reference inverse DCT of the k x k lowest frequencies of a dequantized block (natural order, 64). */
    static int[] referenceIdct(int[] block, int n) {
        int[] result = new int[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double sum = 0;
                for (int v = 0; v < n; v++) {
                    for (int u = 0; u < n; u++) {
                        double cu = u == 0 ? Math.sqrt(0.5) : 1, cv = v == 0 ? Math.sqrt(0.5) : 1;
                        sum += cu * cv / 4 * block[v * 8 + u] * Math.cos((2 * x + 1) * u * Math.PI / (2 * n))
                                * Math.cos((2 * y + 1) * v * Math.PI / (2 * n));
                    }
                }
                result[y * n + x] = Math.max(0, Math.min(255, (int) Math.round(sum) + 128));
            }
        }
        return result;
    }

    /** Our inverse DCT of the same block at 1/(8/n), for comparing with {@link #referenceIdct}. */
    static int[] idctForTest(int[] block, int n) {
        JpegDecoder d = new JpegDecoder(new byte[0], 8, 8, 8 / n);
        short[] coef = new short[n * n];
        int[] q = new int[64];
        java.util.Arrays.fill(q, 1);
        for (int v = 0; v < n; v++) {
            for (int u = 0; u < n; u++) {
                coef[v * n + u] = (short) block[v * 8 + u];
            }
        }
        byte[] out = new byte[n * n];
        float[] work = new float[64];
        if (n == 8) {
            float[] table = new float[64];
            for (int i = 0; i < 64; i++) {
                table[i] = (float) (AAN[i >> 3] * AAN[i & 7] / 8);
            }
            idct8(coef, 0, table, work, out, 0, 8);
        } else if (n == 1) {
            out[0] = (byte) clamp(Math.round(coef[0] / 8f) + 128);
        } else {
            d.idctReduced(coef, 0, q, work, out, 0, n);
        }
        int[] result = new int[n * n];
        for (int i = 0; i < out.length; i++) {
            result[i] = out[i] & 0xFF;
        }
        return result;
    }

    // libjpeg's YCbCr to RGB tables (jdcolor.c), 16 fractional bits.
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        int half = 1 << 15;
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + half) >> 16;
            CB_B[i] = (fix(1.77200) * x + half) >> 16;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + half;
        }
    }

    private static int fix(double x) {
        return (int) (x * 65536 + 0.5);
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
