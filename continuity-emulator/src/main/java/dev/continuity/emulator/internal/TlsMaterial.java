package dev.continuity.emulator.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS key material of HTTPS emulators: one self-signed certificate per JVM, shared by every HTTPS
 * emulator started in it (so a JVM-wide {@code javax.net.ssl.trustStore}, which the JDK reads once,
 * keeps working across emulator restarts), plus a PKCS12 truststore file holding the certificate,
 * written on first request.
 */
public final class TlsMaterial {

    /** Password of the truststore file (it holds only a public certificate). */
    public static final String TRUSTSTORE_PASSWORD = "continuity";

    private static final Object LOCK = new Object();
    private static TlsMaterial shared;

    private final SelfSignedCertificate certificate;
    private final SSLContext serverContext;
    private SSLContext clientContext;
    private byte[] trustStoreBytes;
    private Path trustStore;

    private TlsMaterial(SelfSignedCertificate certificate) throws GeneralSecurityException {
        this.certificate = certificate;
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(new KeyManager[] {
            new StaticKeyManager(certificate.keyPair().getPrivate(), certificate.certificate())}, null, null);
    }

    /** The JVM's shared material, generated on first use. */
    public static TlsMaterial shared() {
        synchronized (LOCK) {
            if (shared == null) {
                try {
                    shared = new TlsMaterial(SelfSignedCertificate.generate());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("cannot set up the emulator's TLS material", e);
                }
            }
            return shared;
        }
    }

    /** The server-side context (the certificate and its private key). */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** A client context trusting only the emulator's certificate. */
    public synchronized SSLContext clientContext() {
        if (clientContext == null) {
            try {
                KeyStore trust = trustKeyStore();
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trust);
                clientContext = SSLContext.getInstance("TLS");
                clientContext.init(null, factory.getTrustManagers(), null);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build a client TLS context for the emulator", e);
            }
        }
        return clientContext;
    }

    /** The PKCS12 truststore file (written on first call, deleted when the JVM exits). */
    public synchronized Path trustStore() {
        if (trustStore == null) {
            try {
                Path file = Files.createTempFile("continuity-emulator-truststore-", ".p12");
                file.toFile().deleteOnExit();
                Files.write(file, trustStoreBytes());
                trustStore = file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the emulator's truststore", e);
            }
        }
        return trustStore;
    }

    /** The truststore as PKCS12 bytes (password {@link #TRUSTSTORE_PASSWORD}). */
    public synchronized byte[] trustStoreBytes() {
        if (trustStoreBytes == null) {
            try {
                KeyStore trust = trustKeyStore();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                trust.store(bytes, TRUSTSTORE_PASSWORD.toCharArray());
                trustStoreBytes = bytes.toByteArray();
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build the emulator's truststore", e);
            }
        }
        return trustStoreBytes.clone();
    }

    /** An in-memory PKCS12 keystore holding only the emulator's certificate. */
    private KeyStore trustKeyStore() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("continuity-emulator", certificate.certificate());
        return trust;
    }

    /** The certificate in PEM form. */
    public String certificatePem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .encodeToString(certificate.certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the emulator's certificate", e);
        }
    }
}
