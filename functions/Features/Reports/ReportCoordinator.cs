using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;

namespace Reporting.Features.Reports;

/// <summary>
/// One report generation per fiscal year at a time, across every instance of the app: a blob lease on
/// <c>locks/fy{year}</c>. Whoever holds it compares the data with the latest report's and writes a new report only if
/// the data changed, so two instances woken by the same timer, or a staff request racing them, produce one report.
/// The holder renews the lease while its run lasts (a run slowed past the lease's duration keeps it), and commits its
/// report only while it still holds the lease (<see cref="Hold.StillHeldAsync"/>: certain from its last renewal, else
/// proven by a write conditional on it): a holder that lost it — its renewals failed, the lease lapsed and another
/// instance took over — writes nothing. A lease of a crashed holder expires on its own.
/// </summary>
public sealed class ReportCoordinator(BlobContainerClient container, IOptions<ReportOptions> options, ILogger<ReportCoordinator> logger)
{
    private TimeSpan LeaseDuration => TimeSpan.FromSeconds(Math.Clamp(options.Value.LeaseSeconds, 15, 60));
    private TimeSpan MaxWait => TimeSpan.FromSeconds(Math.Max(1, options.Value.MaxWaitSeconds));

    public async Task<Hold> AcquireAsync(int fiscalYear, CancellationToken cancellationToken = default)
    {
        var blob = container.GetBlobClient($"locks/fy{fiscalYear:D4}");
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobAlreadyExists || ex.ErrorCode == BlobErrorCode.LeaseIdMissing
                                                 || ex.ErrorCode == BlobErrorCode.ConditionNotMet)
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
                return new Hold(blob, lease, fiscalYear, LeaseDuration, logger);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.LeaseAlreadyPresent)
            {
                if (DateTimeOffset.UtcNow - started > MaxWait) throw new TimeoutException($"Report generation for FY{fiscalYear} is held by another instance.");
                if (attempt == 1) logger.LogInformation("Report generation for FY{FiscalYear} is running elsewhere; waiting for it", fiscalYear);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>Whether a run may commit: it held the lease throughout, took a lapsed lease again, or lost it to another run.</summary>
    public enum Turn { Held, Retaken, Lost }

    /// <summary>A held lease: renewed in the background until disposed, released then.</summary>
    public sealed class Hold : IAsyncDisposable
    {
        private readonly BlobClient blob;
        private readonly BlobLeaseClient lease;
        private readonly int fiscalYear;
        private readonly TimeSpan duration;
        private readonly ILogger logger;
        private readonly CancellationTokenSource stop = new();
        private readonly Task renewing;
        private volatile bool lost;

        // Until when the lease is certainly still ours: the send time of its last successful acquire or renewal plus its
        // duration, less a margin for clock drift. Storage cannot give it to anyone else before then.
        private long certainUntil;
        private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

        internal Hold(BlobClient blob, BlobLeaseClient lease, int fiscalYear, TimeSpan duration, ILogger logger)
        {
            this.blob = blob;
            this.lease = lease;
            this.fiscalYear = fiscalYear;
            this.duration = duration;
            this.logger = logger;
            Certain(acquiredAt: Stopwatch.GetTimestamp() - Stopwatch.Frequency); // the acquire was sent a moment ago
            renewing = RenewAsync(duration / 3, stop.Token);
        }

        private async Task RenewAsync(TimeSpan every, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(every, cancellationToken);
                    var sent = Stopwatch.GetTimestamp();
                    await lease.RenewAsync(cancellationToken: cancellationToken);
                    Certain(sent);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.LeaseIdMismatchWithLeaseOperation || ex.ErrorCode == BlobErrorCode.LeaseLost
                                                         || ex.ErrorCode == BlobErrorCode.LeaseNotPresentWithLeaseOperation)
                {
                    lost = true;
                    logger.LogWarning("The FY{FiscalYear} report lease was lost ({ErrorCode}); this run will not commit its report", fiscalYear, ex.ErrorCode);
                    return;
                }
                catch (Exception ex) when (ex is RequestFailedException or TimeoutException or IOException or HttpRequestException or AggregateException)
                {
                    // Storage slow or away: try again at the next turn; the commit checks the lease itself.
                    logger.LogWarning(ex, "Renewing the FY{FiscalYear} report lease failed; retrying", fiscalYear);
                }
            }
        }

        /// <summary>
        /// Whether this run still holds the lease, proven by a write conditional on it (the lock blob's metadata): only
        /// then may the run commit its report. A lease storage no longer knows (it expired unrenewed, or storage
        /// restarted) is taken again if nobody else holds it: then <see cref="Turn.Retaken"/> — another run may have
        /// committed in between, which the caller must check.
        /// </summary>
        public async Task<Turn> StillHeldAsync(string reportId, CancellationToken cancellationToken = default)
        {
            if (lost) return Turn.Lost;
            // Renewed recently enough that it cannot have lapsed: no need to ask storage.
            if (Stopwatch.GetTimestamp() < Interlocked.Read(ref certainUntil)) return Turn.Held;
            try
            {
                await blob.SetMetadataAsync(new Dictionary<string, string> { ["committing"] = reportId },
                    new BlobRequestConditions { LeaseId = lease.LeaseId }, cancellationToken);
                return Turn.Held;
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.LeaseNotPresentWithBlobOperation || ex.ErrorCode == BlobErrorCode.LeaseLost)
            {
                try
                {
                    await lease.AcquireAsync(duration, cancellationToken: cancellationToken);
                    logger.LogWarning("The FY{FiscalYear} report lease had lapsed ({ErrorCode}) and was taken again", fiscalYear, ex.ErrorCode);
                    return Turn.Retaken;
                }
                catch (RequestFailedException again) when (again.ErrorCode == BlobErrorCode.LeaseAlreadyPresent)
                {
                    lost = true;
                    logger.LogWarning("The FY{FiscalYear} report lease was lost to another run before commit; report {ReportId} is not committed", fiscalYear, reportId);
                    return Turn.Lost;
                }
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.LeaseIdMismatchWithBlobOperation || ex.ErrorCode == BlobErrorCode.LeaseIdMissing)
            {
                lost = true;
                logger.LogWarning("The FY{FiscalYear} report lease is held by another run ({ErrorCode}); report {ReportId} is not committed", fiscalYear, ex.ErrorCode, reportId);
                return Turn.Lost;
            }
        }

        private void Certain(long acquiredAt) =>
            Interlocked.Exchange(ref certainUntil, acquiredAt + (long)((duration - Margin).TotalSeconds * Stopwatch.Frequency));

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await renewing;
            stop.Dispose();
            if (lost) return;
            try
            {
                await lease.ReleaseAsync();
            }
            catch (Exception ex) when (ex is RequestFailedException || Infrastructure.StorageFaults.IsUnavailable(ex))
            {
                // Expired, lost or storage away: the lease lapses on its own and the next holder proceeds; nothing to undo.
                // Never let this hide how the run itself ended.
                logger.LogWarning(ex, "Releasing the FY{FiscalYear} report lease failed", fiscalYear);
            }
        }
    }
}
