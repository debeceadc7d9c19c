package io.clink.paho;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads PEM certificates and private keys with the JDK alone, and checks that a key belongs to a certificate.
 *
 * <p>Keys: PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519, Ed448) directly; PKCS#1 ({@code BEGIN RSA PRIVATE
 * KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}, named curve) by wrapping their DER into a PKCS#8 structure, which is
 * exactly what {@code openssl pkcs8 -topk8 -nocrypt} does. Encrypted keys are refused with the command that
 * decrypts them. Every error is an {@link IllegalArgumentException} whose message names the option and the file.
 * Pure functions apart from reading the file; thread-safe.
 *
 * <p>Public so that a runner reading its own listener certificates (such as {@code clink-broker}'s TLS link
 * listener) validates PEM files exactly as the link transport does, with the same messages.
 *
 * @since 0.1.0
 */
public final class PemFiles {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final String[] PKCS8_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448"};

    // DER of AlgorithmIdentifier pieces used to wrap PKCS#1 / SEC1 keys into PKCS#8 (RFC 5208, RFC 5915).
    private static final byte[] OID_RSA_ENCRYPTION = {
        0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01
    };
    private static final byte[] DER_NULL = {0x05, 0x00};
    private static final byte[] OID_EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01
    };
    private static final byte[] INTEGER_ZERO = {0x02, 0x01, 0x00};

    private PemFiles() {}

    /** One {@code -----BEGIN type-----} block: its type, whether it has an encryption header, and its DER bytes. */
    record Block(String type, boolean encryptedHeader, byte[] der) {}

    /**
     * Reads every certificate of a PEM file, in file order.
     *
     * @param option the configuration option naming the file, for messages (for example {@code ssl.cacertfile})
     * @param file the file
     * @return one or more certificates
     * @throws IllegalArgumentException if the file cannot be read, holds no certificate or a corrupt one
     */
    public static List<X509Certificate> readCertificates(String option, Path file) {
        List<Block> blocks = blocks(option, file, "certificate");
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks) {
            if (!block.type().equals("CERTIFICATE") && !block.type().equals("TRUSTED CERTIFICATE")) {
                continue;
            }
            try {
                Certificate c = factory.generateCertificate(new ByteArrayInputStream(block.der()));
                certificates.add((X509Certificate) c);
            } catch (CertificateException | ClassCastException e) {
                throw new IllegalArgumentException(
                        option + " " + file + ": certificate number " + (certificates.size() + 1)
                                + " is not a valid X.509" + " certificate: " + e.getMessage(),
                        e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(option + " " + file
                    + ": no certificate found (expected a PEM block '-----BEGIN CERTIFICATE-----', found "
                    + types(blocks)
                    + ")");
        }
        return certificates;
    }

    /**
     * Reads the private key of a PEM file.
     *
     * @param option the configuration option naming the file, for messages (for example {@code ssl.keyfile})
     * @param file the file
     * @return the key
     * @throws IllegalArgumentException if the file cannot be read, holds no key, an encrypted key, or a corrupt one
     */
    public static PrivateKey readPrivateKey(String option, Path file) {
        List<Block> blocks = blocks(option, file, "private key");
        for (Block block : blocks) {
            switch (block.type()) {
                case "PRIVATE KEY":
                    return pkcs8(option, file, block.der(), "PKCS#8");
                case "RSA PRIVATE KEY":
                    rejectEncrypted(option, file, block);
                    return pkcs8(option, file, wrapPkcs1(block.der()), "PKCS#1 RSA");
                case "EC PRIVATE KEY":
                    rejectEncrypted(option, file, block);
                    return pkcs8(option, file, wrapSec1(option, file, block.der()), "SEC1 EC");
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException(option + " " + file
                            + ": encrypted private keys are not supported; decrypt it with: openssl pkey -in " + file
                            + " -out key-decrypted.pem (the result starts with '-----BEGIN PRIVATE KEY-----')");
                default:
                // EC PARAMETERS and certificates may share the file with the key: skip them.
            }
        }
        throw new IllegalArgumentException(option + " " + file
                + ": no private key found (expected '-----BEGIN PRIVATE KEY-----', 'BEGIN RSA PRIVATE KEY' or"
                + " 'BEGIN EC PRIVATE KEY', found " + types(blocks) + ")");
    }

    /**
     * Checks that a private key belongs to a certificate, by signing a random challenge with the key and verifying it
     * with the certificate's public key (RSA keys are compared by modulus and exponent).
     *
     * @param key the private key
     * @param keyFile where the key came from, for messages
     * @param certificate the leaf certificate
     * @param certFile where the certificate came from, for messages
     * @throws IllegalArgumentException if they do not belong together
     */
    public static void checkKeyMatchesCertificate(
            PrivateKey key, Path keyFile, X509Certificate certificate, Path certFile) {
        checkKeyMatchesCertificate(key, "ssl.keyfile", keyFile, certificate, "ssl.certfile", certFile);
    }

    /**
     * As {@link #checkKeyMatchesCertificate(PrivateKey, Path, X509Certificate, Path)}, naming the options as given
     * (for example {@code listeners.ssl.clink.ssl_options.keyfile}).
     *
     * @param key the private key
     * @param keyOption the option naming the key file, for messages
     * @param keyFile where the key came from, for messages
     * @param certificate the leaf certificate
     * @param certOption the option naming the certificate file, for messages
     * @param certFile where the certificate came from, for messages
     * @throws IllegalArgumentException if they do not belong together
     */
    public static void checkKeyMatchesCertificate(
            PrivateKey key,
            String keyOption,
            Path keyFile,
            X509Certificate certificate,
            String certOption,
            Path certFile) {
        PublicKey publicKey = certificate.getPublicKey();
        String keyFamily = family(key.getAlgorithm());
        String certFamily = family(publicKey.getAlgorithm());
        String mismatch =
                keyOption + " " + keyFile + " does not match the certificate in " + certOption + " " + certFile;
        if (!keyFamily.equals(certFamily)) {
            throw new IllegalArgumentException(mismatch + ": the key is " + key.getAlgorithm()
                    + ", the certificate's key is " + publicKey.getAlgorithm());
        }
        if (key instanceof RSAKey && publicKey instanceof RSAPublicKey) {
            boolean sameModulus = ((RSAKey) key).getModulus().equals(((RSAPublicKey) publicKey).getModulus());
            boolean sameExponent = !(key instanceof RSAPrivateCrtKey)
                    || ((RSAPrivateCrtKey) key)
                            .getPublicExponent()
                            .equals(((RSAPublicKey) publicKey).getPublicExponent());
            if (!sameModulus || !sameExponent) {
                throw new IllegalArgumentException(mismatch + " (different RSA public keys)");
            }
            return;
        }
        String algorithm = keyFamily.equals("EC") ? "SHA256withECDSA" : key.getAlgorithm();
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException(mismatch + " (different public keys)");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(mismatch + ": " + e.getMessage(), e);
        }
    }

    private static String family(String algorithm) {
        String a = algorithm.toUpperCase(Locale.ROOT);
        if (a.equals("ECDSA")) {
            return "EC";
        }
        if (a.equals("ED25519") || a.equals("ED448")) {
            return "EDDSA";
        }
        return a;
    }

    static List<Block> blocks(String option, Path file, String what) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read the " + what + " file: " + e, e);
        }
        // ISO-8859-1 maps every byte, so a binary (DER) file yields "no PEM block" rather than a decoding error.
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean encrypted = false;
            int headerEnd = body.indexOf("\n\n");
            if (headerEnd < 0) {
                headerEnd = body.indexOf("\r\n\r\n");
            }
            if (body.contains("Proc-Type:") && headerEnd >= 0) {
                encrypted = body.substring(0, headerEnd).contains("ENCRYPTED");
                body = body.substring(headerEnd);
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(body.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        option + " " + file + ": the PEM block '" + m.group(1) + "' is not valid Base64: "
                                + e.getMessage(),
                        e);
            }
            blocks.add(new Block(m.group(1), encrypted, der));
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(
                    option + " " + file + ": not a PEM file (no '-----BEGIN ...-----' block);"
                            + " if it is DER, convert it with: openssl x509 -inform der -in " + file
                            + " -out cert.pem (certificates)"
                            + " or openssl pkcs8 -topk8 -nocrypt -inform der -in " + file + " -out key.pem (keys)");
        }
        return blocks;
    }

    private static String types(List<Block> blocks) {
        List<String> types = new ArrayList<>();
        for (Block b : blocks) {
            types.add("'" + b.type() + "'");
        }
        return String.join(", ", types);
    }

    private static void rejectEncrypted(String option, Path file, Block block) {
        if (block.encryptedHeader()) {
            throw new IllegalArgumentException(option + " " + file
                    + ": encrypted private keys are not supported; decrypt it with: openssl pkey -in " + file
                    + " -out key-decrypted.pem");
        }
    }

    private static PrivateKey pkcs8(String option, Path file, byte[] der, String format) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : PKCS8_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not this algorithm; try the next.
            }
        }
        throw new IllegalArgumentException(option + " " + file + ": the " + format
                + " private key is corrupt or of an unsupported algorithm (supported: RSA, EC, Ed25519, Ed448)");
    }

    /** PKCS#1 RSAPrivateKey into PrivateKeyInfo: version 0, rsaEncryption with NULL parameters, the key as octets. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] algorithm = tlv(0x30, concat(OID_RSA_ENCRYPTION, DER_NULL));
        return tlv(0x30, concat(INTEGER_ZERO, algorithm, tlv(0x04, pkcs1)));
    }

    /**
     * SEC1 ECPrivateKey into PrivateKeyInfo: the curve OID moves from the key's {@code [0]} field into the
     * AlgorithmIdentifier, as PKCS#8 requires; the SEC1 structure itself becomes the octets.
     */
    static byte[] wrapSec1(String option, Path file, byte[] sec1) {
        byte[] curve = sec1NamedCurve(sec1);
        if (curve == null) {
            throw new IllegalArgumentException(option + " " + file
                    + ": the EC private key does not name its curve; convert it with: openssl pkcs8 -topk8 -nocrypt -in "
                    + file + " -out key-pkcs8.pem");
        }
        byte[] algorithm = tlv(0x30, concat(OID_EC_PUBLIC_KEY, curve));
        return tlv(0x30, concat(INTEGER_ZERO, algorithm, tlv(0x04, sec1)));
    }

    /** The named-curve OID (as a complete DER TLV) in a SEC1 key's {@code [0]} field, or null when absent. */
    static byte @Nullable [] sec1NamedCurve(byte[] sec1) {
        try {
            DerReader outer = new DerReader(sec1, 0, sec1.length);
            DerReader.Tlv seq = outer.next();
            if (seq.tag() != 0x30) {
                return null;
            }
            DerReader fields = new DerReader(sec1, seq.contentStart(), seq.contentEnd());
            while (fields.hasNext()) {
                DerReader.Tlv field = fields.next();
                if (field.tag() == 0xA0) {
                    DerReader inner = new DerReader(sec1, field.contentStart(), field.contentEnd());
                    DerReader.Tlv oid = inner.next();
                    if (oid.tag() != 0x06) {
                        return null; // explicit curve parameters: not supported
                    }
                    byte[] out = new byte[oid.end() - oid.start()];
                    System.arraycopy(sec1, oid.start(), out, 0, out.length);
                    return out;
                }
            }
            return null;
        } catch (IllegalStateException e) {
            return null;
        }
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((length >>> (8 * i)) & 0xFF);
            }
        }
        out.write(content, 0, content.length);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    /** Walks the DER TLVs between two offsets; throws IllegalStateException on truncated or malformed input. */
    static final class DerReader {
        record Tlv(int tag, int start, int contentStart, int contentEnd) {
            int end() {
                return contentEnd;
            }
        }

        private final byte[] data;
        private int pos;
        private final int limit;

        DerReader(byte[] data, int from, int to) {
            this.data = data;
            this.pos = from;
            this.limit = to;
        }

        boolean hasNext() {
            return pos < limit;
        }

        Tlv next() {
            int start = pos;
            if (pos + 2 > limit) {
                throw new IllegalStateException("truncated DER at " + pos);
            }
            int tag = data[pos++] & 0xFF;
            int first = data[pos++] & 0xFF;
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7F;
                if (count == 0 || count > 4 || pos + count > limit) {
                    throw new IllegalStateException("bad DER length at " + start);
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (data[pos++] & 0xFF);
                }
            }
            if (length < 0 || pos + length > limit) {
                throw new IllegalStateException("DER value overruns its container at " + start);
            }
            Tlv tlv = new Tlv(tag, start, pos, pos + length);
            pos += length;
            return tlv;
        }
    }
}
