using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorChat.Cluster.Tests;

/// <summary>A throwaway certificate authority and the certificates it issues, written to files as an operator would.</summary>
public sealed class TestCertificates : IDisposable
{
    public const string Password = "test-pfx-password";

    private readonly X509Certificate2 _authority;

    public TestCertificates(string directory, string name)
    {
        Directory = directory;
        Name = name;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name} CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        _authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddDays(2));
        AuthorityPem = System.IO.Path.Combine(directory, $"{name}-ca.pem");
        File.WriteAllText(AuthorityPem, _authority.ExportCertificatePem());
    }

    public string Directory { get; }

    public string Name { get; }

    /// <summary>The CA certificate (no key), PEM.</summary>
    public string AuthorityPem { get; }

    /// <summary>A certificate for server and client authentication, as a password-protected PKCS#12 file.</summary>
    public string IssuePfx(string subject)
    {
        using var certificate = Issue(subject, out var key);
        using (key)
        {
            var path = System.IO.Path.Combine(Directory, $"{Name}-{subject}.pfx");
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
            return path;
        }
    }

    /// <summary>A certificate for server and client authentication, as PEM certificate and PEM key files.</summary>
    public (string Certificate, string Key) IssuePem(string subject)
    {
        using var certificate = Issue(subject, out var key);
        using (key)
        {
            var certificatePath = System.IO.Path.Combine(Directory, $"{Name}-{subject}.crt");
            var keyPath = System.IO.Path.Combine(Directory, $"{Name}-{subject}.key");
            File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            return (certificatePath, keyPath);
        }
    }

    public void Dispose() => _authority.Dispose();

    private X509Certificate2 Issue(string subject, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var issued = request.Create(_authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }
}
