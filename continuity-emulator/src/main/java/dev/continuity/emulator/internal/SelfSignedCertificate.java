package dev.continuity.emulator.internal;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZonedDateTime;

/**
 * Generates a self-signed X.509 v3 certificate (EC P-256, SHA256withECDSA) for {@code CN=localhost}
 * with subject alternative names DNS {@code localhost}, IP {@code 127.0.0.1} and IP {@code ::1}, in
 * process and in milliseconds (no keytool process).
 *
 * @param keyPair     the key pair
 * @param certificate the certificate
 */
public record SelfSignedCertificate(KeyPair keyPair, X509Certificate certificate) {

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";

    /** Generates a new key pair and certificate valid from yesterday for two years. */
    public static SelfSignedCertificate generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keyPair = generator.generateKeyPair();

            byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
            byte[] name = Der.sequence(
                    Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8("Continuity Emulator"))),
                    Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8("localhost"))));
            ZonedDateTime now = ZonedDateTime.now();
            byte[] validity = Der.sequence(Der.utcTime(now.minusDays(1)), Der.utcTime(now.plusYears(2)));
            byte[] altNames = Der.sequence(
                    Der.tagged(2, false, "localhost".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                    Der.tagged(7, false, new byte[] {127, 0, 0, 1}),
                    Der.tagged(7, false, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
            byte[] extensions = Der.tagged(3, true, Der.sequence(
                    Der.sequence(Der.oid(SUBJECT_ALT_NAME), Der.octetString(altNames)),
                    Der.sequence(Der.oid(BASIC_CONSTRAINTS), Der.octetString(Der.sequence()))));
            byte[] tbs = Der.sequence(
                    Der.tagged(0, true, Der.integer(BigInteger.TWO)),
                    Der.integer(new BigInteger(63, new SecureRandom()).add(BigInteger.ONE)),
                    algorithm,
                    name,
                    validity,
                    name,
                    keyPair.getPublic().getEncoded(),
                    extensions);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keyPair.getPrivate());
            signer.update(tbs);
            byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificate));
            x509.verify(keyPair.getPublic());
            return new SelfSignedCertificate(keyPair, x509);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the emulator's self-signed certificate", e);
        }
    }
}
