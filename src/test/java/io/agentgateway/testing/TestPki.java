package io.agentgateway.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throw-away PKI for tests, made with BouncyCastle: a CA, and server or client certificates it
 * signs (DNS, IP and URI subject alternative names, e.g. a SPIFFE ID), written as PEM files.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    /** A certificate and its private key. */
    public record Issued(X509Certificate certificate, KeyPair keys) {
        public Path writeCertificate(Path file) {
            return write(file, certificate);
        }

        public Path writeKey(Path file) {
            try {
                return write(file, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A client SSL context presenting this certificate and trusting the server certificates {@code ca} issued. */
        public SSLContext clientContext(TestPki ca) {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", keys.getPrivate(), new char[0], new Certificate[]{certificate});
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(new javax.net.ssl.KeyManager[]{new AlwaysPresent((javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0])},
                        new javax.net.ssl.TrustManager[]{ca.trustManager()}, null);
                return ctx;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Presents the certificate even when the server's list of accepted CAs does not name its issuer
     * (the JDK would otherwise send none), so tests can show the server refusing it.
     */
    private static final class AlwaysPresent extends javax.net.ssl.X509ExtendedKeyManager {
        private final javax.net.ssl.X509ExtendedKeyManager keys;

        AlwaysPresent(javax.net.ssl.X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
            return "client";
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[]{"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return keys.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    private final Issued ca;

    private TestPki(Issued ca) {
        this.ca = ca;
    }

    public static TestPki create(String name) {
        KeyPair keys = rsa();
        X500Name subject = new X500Name("CN=" + name);
        try {
            X509v3CertificateBuilder b = builder(subject, subject, keys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestPki(new Issued(sign(b, keys), keys));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate certificate() {
        return ca.certificate();
    }

    public Path writeCertificate(Path file) {
        return ca.writeCertificate(file);
    }

    /** A server certificate for 127.0.0.1 and localhost. */
    public Issued server() {
        return issue("localhost", KeyPurposeId.id_kp_serverAuth,
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    }

    /** A client certificate with the given URI subject alternative names (none: no SAN at all). */
    public Issued client(String commonName, String... uris) {
        List<GeneralName> names = new ArrayList<>();
        for (String u : uris) {
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, u));
        }
        return issue(commonName, KeyPurposeId.id_kp_clientAuth, names.toArray(GeneralName[]::new));
    }

    private Issued issue(String cn, KeyPurposeId purpose, GeneralName... sans) {
        KeyPair keys = rsa();
        try {
            X509v3CertificateBuilder b = builder(new X500Name(ca.certificate().getSubjectX500Principal().getName()),
                    new X500Name("CN=" + cn), keys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (sans.length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            }
            return new Issued(sign(b, ca.keys()), keys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust manager trusting only this CA. */
    public X509TrustManager trustManager() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, Object pemObject) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(pemObject);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.writeString(file, out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
