using System.ComponentModel.DataAnnotations;

namespace ActorChat.Grains.Hosting;

/// <summary>
/// TLS on the silo and gateway ports, bound from <c>ActorChat:Cluster:Tls</c>. See docs/configuration.md and, for
/// making the certificates, docs/operations.md. On as soon as <see cref="CertificatePath"/> is set.
/// </summary>
public sealed class ClusterTlsOptions : IValidatableObject
{
    public const string Section = "ActorChat:Cluster:Tls";

    /// <summary>This process's certificate: a PKCS#12 file (<c>.pfx</c>), or a PEM certificate when <see cref="KeyPath"/> is set.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PKCS#12 file's password, or the PEM key's when that is encrypted.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// PEM file of the CA certificate(s) a peer's certificate must chain to (a private CA). Unset: the system's
    /// trusted roots, with .NET's usual checks (host names included).
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// Mutual TLS: a silo accepts a connection (from another silo or a client) only with a certificate that chains to
    /// <see cref="CaCertificatePath"/>. Off: any client that speaks TLS may connect; the traffic is still encrypted.
    /// </summary>
    public bool RequirePeerCertificate { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrEmpty(CertificatePath);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            if (!string.IsNullOrEmpty(KeyPath) || !string.IsNullOrEmpty(CaCertificatePath))
            {
                yield return new ValidationResult($"{Section}: KeyPath or CaCertificatePath is set but CertificatePath is not; TLS needs this process's certificate.");
            }

            yield break;
        }

        foreach (var (setting, path) in new[] { ("CertificatePath", CertificatePath), ("KeyPath", KeyPath), ("CaCertificatePath", CaCertificatePath) })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
            {
                yield return new ValidationResult($"{Section}:{setting}: no file at {Path.GetFullPath(path)}.");
                yield break;
            }
        }

        if (ClusterCertificates.Problem(this) is { } problem)
        {
            yield return new ValidationResult($"{Section}: {problem}");
        }
    }
}
