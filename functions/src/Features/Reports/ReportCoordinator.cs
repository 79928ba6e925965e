using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Reporting.Features.Reports;

/// <summary>
/// One report generation per fiscal year at a time, across every instance of the app: a blob lease on
/// <c>locks/fy{year}</c>. Whoever holds it compares the data with the latest report's and writes a new report only if
/// the data changed, so two instances woken by the same timer, or a staff request racing them, produce one report.
/// A lease of a crashed holder expires on its own.
/// </summary>
public sealed class ReportCoordinator(BlobContainerClient container, ILogger<ReportCoordinator> logger)
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(120);

    public async Task<IAsyncDisposable> AcquireAsync(int fiscalYear, CancellationToken cancellationToken = default)
    {
        var blob = container.GetBlobClient($"locks/fy{fiscalYear:D4}");
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobAlreadyExists || ex.ErrorCode == BlobErrorCode.LeaseIdMissing || ex.Status == 409 || ex.Status == 412)
        {
            // The lock blob exists already (and may be leased): expected.
        }
        var lease = blob.GetBlobLeaseClient();
        var started = DateTimeOffset.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
                return new Held(lease, fiscalYear, logger);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.LeaseAlreadyPresent || ex.Status == 409)
            {
                if (DateTimeOffset.UtcNow - started > MaxWait) throw new TimeoutException($"Report generation for FY{fiscalYear} is held by another instance.");
                if (attempt == 1) logger.LogInformation("Report generation for FY{FiscalYear} is running elsewhere; waiting for it", fiscalYear);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * attempt)), cancellationToken);
            }
        }
    }

    private sealed class Held(BlobLeaseClient lease, int fiscalYear, ILogger logger) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await lease.ReleaseAsync();
            }
            catch (RequestFailedException ex)
            {
                // Expired or lost: the next holder proceeds anyway; nothing to undo.
                logger.LogWarning(ex, "Releasing the FY{FiscalYear} report lease failed ({ErrorCode})", fiscalYear, ex.ErrorCode);
            }
        }
    }
}
