using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorChat.Grains.Hosting;

/// <summary>Reads the certificates <see cref="ClusterTlsOptions"/> names, and checks a peer's against the CA.</summary>
internal static class ClusterCertificates
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public static X509Certificate2 Load(ClusterTlsOptions options)
    {
        if (string.IsNullOrEmpty(options.KeyPath))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword);
        }

        using var pem = string.IsNullOrEmpty(options.CertificatePassword)
            ? X509Certificate2.CreateFromPemFile(options.CertificatePath!, options.KeyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(options.CertificatePath!, options.CertificatePassword, options.KeyPath);

        // SslStream on Windows cannot use the ephemeral key a PEM load gives; a PKCS#12 round trip makes it usable.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public static X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return authorities;
    }

    /// <summary>Why the configured files cannot serve for cluster TLS, in one line, or null when they can.</summary>
    public static string? Problem(ClusterTlsOptions options)
    {
        try
        {
            using var certificate = Load(options);
            if (!certificate.HasPrivateKey)
            {
                return $"the certificate in {options.CertificatePath} has no private key.";
            }

            // Every process is a TLS client (silos call silos, front ends call gateways) and silos are servers too.
            if (!AllowedFor(certificate, ServerAuthentication) || !AllowedFor(certificate, ClientAuthentication))
            {
                return $"the certificate in {options.CertificatePath} must allow both server and client authentication (extended key usage).";
            }

            if (!string.IsNullOrEmpty(options.CaCertificatePath))
            {
                var authorities = LoadAuthorities(options.CaCertificatePath);
                try
                {
                    if (authorities.Count == 0)
                    {
                        return $"{options.CaCertificatePath} holds no PEM certificate.";
                    }
                }
                finally
                {
                    foreach (var authority in authorities)
                    {
                        authority.Dispose();
                    }
                }
            }

            return null;
        }
        catch (CryptographicException ex)
        {
            return $"cannot read the certificate files: {ex.Message}";
        }
    }

    /// <summary>True when <paramref name="certificate"/> was issued, directly or through intermediates it sent, by one of <paramref name="authorities"/>.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Chain? presented, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);

        // A private CA seldom publishes revocation lists; rotate a compromised certificate out by replacing the CA.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate);
    }

    /// <summary>A certificate without the extended key usage extension may be used for anything.</summary>
    private static bool AllowedFor(X509Certificate2 certificate, string usage)
    {
        var extensions = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().ToList();
        return extensions.Count == 0 || extensions.Any(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == usage));
    }
}
