using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Reporting.Features.Reports;

/// <summary>
/// Reports in a private blob container. A report's files go to <c>fy{year}/{id}/</c> (snapshot.json, summary.csv,
/// summary.json, report.pdf), each written only if absent; then a small <c>manifest.json</c> listing them is committed.
/// Only manifests are listed, so a reader never sees a partial report or a PDF without its snapshot: files of a run that
/// died before its manifest stay invisible. The id starts with the UTC creation time, so names sort by age. Blob names
/// are built from parsed numbers and generated ids, never from raw input.
/// </summary>
public sealed partial class ReportStore(BlobContainerClient container)
{
    public const string PdfName = "report.pdf";
    public const string SnapshotName = "snapshot.json";
    public const string SummaryCsvName = "summary.csv";
    public const string SummaryJsonName = "summary.json";
    public const string HtmlName = "report.html";
    public const string ManifestName = "manifest.json";

    [GeneratedRegex("^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    public static string NewId(DateTimeOffset createdAt) =>
        $"{createdAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..8]}";

    public sealed record ManifestFile(string Name, long Size, string Sha256);

    public sealed record Manifest(string Id, int FiscalYear, DateTimeOffset CreatedAt, string Trigger, string SnapshotSha256, string DataSha256,
        IReadOnlyList<ManifestFile> Files);

    /// <summary>
    /// Uploads the files, then — if <paramref name="mayCommit"/> still allows it — commits the manifest: the report
    /// exists from that moment, complete. Null when it was not committed (its files are left to the abandoned-run clean-up).
    /// </summary>
    /// <param name="sequence">The report's number within its fiscal year, given by the lease holder: what "latest" means.</param>
    public async Task<ReportInfo?> SaveAsync(int fiscalYear, string id, int sequence, DateTimeOffset createdAt, string trigger, ReportArtifacts artifacts,
        Func<CancellationToken, Task<bool>> mayCommit, CancellationToken cancellationToken = default)
    {
        var prefix = Prefix(fiscalYear, id);
        (string Name, byte[] Content, string ContentType)[] files =
        [
            (SnapshotName, artifacts.SnapshotJson, "application/json; charset=utf-8"),
            (SummaryCsvName, artifacts.SummaryCsv, "text/csv; charset=utf-8"),
            (SummaryJsonName, artifacts.SummaryJson, "application/json; charset=utf-8"),
            (PdfName, artifacts.Pdf, "application/pdf"),
            (HtmlName, artifacts.Html, "text/html; charset=utf-8"),
        ];
        await Task.WhenAll(files.Select(f => Upload(prefix + f.Name, f.Content, f.ContentType, null, cancellationToken)));

        var manifest = new Manifest(id, fiscalYear, createdAt, trigger, artifacts.SnapshotSha256, artifacts.DataSha256,
            files.Select(f => new ManifestFile(f.Name, f.Content.LongLength, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f.Content)))).ToList());
        var metadata = new Dictionary<string, string>
        {
            ["fiscalYear"] = fiscalYear.ToString(CultureInfo.InvariantCulture),
            ["createdAt"] = createdAt.ToString("O", CultureInfo.InvariantCulture),
            ["trigger"] = trigger,
            ["snapshotSha256"] = artifacts.SnapshotSha256,
            ["dataSha256"] = artifacts.DataSha256,
            ["pdfSize"] = artifacts.Pdf.LongLength.ToString(CultureInfo.InvariantCulture),
            ["htmlSize"] = artifacts.Html.LongLength.ToString(CultureInfo.InvariantCulture),
            ["sequence"] = sequence.ToString(CultureInfo.InvariantCulture),
        };
        if (!await mayCommit(cancellationToken)) return null;
        await Upload(prefix + ManifestName, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(manifest, Infrastructure.Json.Info<Manifest>()),
            "application/json; charset=utf-8", metadata, cancellationToken);
        return Info(fiscalYear, id, createdAt, artifacts.Pdf.LongLength, trigger, artifacts.SnapshotSha256, artifacts.DataSha256, hasHtml: true) with { Sequence = sequence };
    }

    /// <summary>
    /// Writes a file create-only. The SDK sends a write again when its answer was lost (an outage, a dropped connection),
    /// and storage may have applied the first: then the blob exists with these very bytes, which is this write done,
    /// not a conflict. Anything else under the name is one, and stays refused.
    /// </summary>
    private async Task Upload(string name, byte[] content, string contentType, IDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(name);
        // Content-MD5 is the integrity hash Blob Storage itself keeps and checks, not a security measure.
#pragma warning disable CA5351
        var hash = System.Security.Cryptography.MD5.HashData(content);
#pragma warning restore CA5351
        try
        {
            await blob.UploadAsync(new BinaryData(content), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType, ContentHash = hash },
                Metadata = metadata,
                Conditions = new BlobRequestConditions { IfNoneMatch = Azure.ETag.All },
            }, cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobAlreadyExists || ex.ErrorCode == BlobErrorCode.ConditionNotMet)
        {
            var existing = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            if (existing.ContentLength != content.LongLength || existing.ContentHash is not { } stored || !stored.AsSpan().SequenceEqual(hash)) throw;
        }
    }

    public async Task<IReadOnlyList<ReportInfo>> ListAsync(int? fiscalYear = null, CancellationToken cancellationToken = default)
    {
        var result = new List<ReportInfo>();
        var prefix = fiscalYear is { } fy ? $"fy{fy:D4}/" : "fy";
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken))
        {
            var parts = blob.Name.Split('/');
            if (parts.Length != 3 || parts[2] != ManifestName || !parts[0].StartsWith("fy", StringComparison.Ordinal)
                || !int.TryParse(parts[0].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || !IsValidId(parts[1]))
            {
                continue;
            }
            var createdAt = blob.Metadata.TryGetValue("createdAt", out var c) && DateTimeOffset.TryParse(c, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                ? parsed
                : blob.Properties.CreatedOn ?? default;
            var info = Info(year, parts[1], createdAt,
                blob.Metadata.TryGetValue("pdfSize", out var size) && long.TryParse(size, CultureInfo.InvariantCulture, out var bytes) ? bytes : 0,
                blob.Metadata.TryGetValue("trigger", out var t) ? t : "",
                blob.Metadata.TryGetValue("snapshotSha256", out var sha) ? sha : null,
                blob.Metadata.TryGetValue("dataSha256", out var data) ? data : null,
                // Reports made before the HTML edition existed have none.
                hasHtml: blob.Metadata.ContainsKey("htmlSize"));
            if (blob.Metadata.TryGetValue("status", out var status) && status == StatusFinal)
            {
                info = info with
                {
                    Status = ReportStatus.Final,
                    PublishedAt = blob.Metadata.TryGetValue("publishedAt", out var at) && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var p) ? p : null,
                    PublishedBy = blob.Metadata.TryGetValue("publishedBy", out var by) ? Uri.UnescapeDataString(by) : null,
                };
            }
            result.Add(info with
            {
                Sequence = blob.Metadata.TryGetValue("sequence", out var sequence) && int.TryParse(sequence, CultureInfo.InvariantCulture, out var n) ? n : 0,
            });
        }
        // Newest first by the sequence the lease holder gave each report: instance clocks may tie or disagree.
        return result
            .OrderByDescending(r => r.FiscalYear).ThenByDescending(r => r.Sequence).ThenByDescending(r => r.CreatedAt)
            .ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Deletes the files of report runs that stopped before committing their manifest (a crash, an outage mid-upload):
    /// nobody can see or download them, and nothing else would ever remove them. Only folders without a manifest whose
    /// newest file is older than <paramref name="olderThan"/> go, so a run in progress is never touched. Soft delete
    /// keeps them recoverable for the retention the storage account sets.
    /// </summary>
    public async Task<int> DeleteAbandonedAsync(int fiscalYear, DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        var folders = new Dictionary<string, (bool Committed, DateTimeOffset Newest, List<string> Blobs)>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"fy{fiscalYear:D4}/", cancellationToken))
        {
            var parts = blob.Name.Split('/');
            if (parts.Length != 3 || !IsValidId(parts[1])) continue;
            var folder = folders.TryGetValue(parts[1], out var f) ? f : (Committed: false, Newest: DateTimeOffset.MinValue, Blobs: new List<string>());
            folder.Blobs.Add(blob.Name);
            var modified = blob.Properties.LastModified ?? DateTimeOffset.MaxValue;
            folders[parts[1]] = (folder.Committed || parts[2] == ManifestName, modified > folder.Newest ? modified : folder.Newest, folder.Blobs);
        }
        var abandoned = folders.Values.Where(f => !f.Committed && f.Newest < olderThan).SelectMany(f => f.Blobs).ToList();
        await Task.WhenAll(abandoned.Select(name => container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken)));
        return abandoned.Count;
    }

    /// <summary>A report of the year: the one given by id, or the latest. Null when there is none.</summary>
    public async Task<ReportInfo?> FindAsync(int fiscalYear, string? id, CancellationToken cancellationToken = default)
    {
        var reports = await ListAsync(fiscalYear, cancellationToken);
        return id is null ? reports.FirstOrDefault() : reports.FirstOrDefault(r => r.Id == id);
    }

    /// <summary>A stored file's content, streamed, and its version.</summary>
    public sealed record StoredFile(Stream Content, string ETag);

    /// <summary>A file of a report, streamed; null when the report has no such file (it was made before that edition existed).</summary>
    public async Task<StoredFile?> OpenAsync(ReportInfo report, string file, CancellationToken cancellationToken = default)
    {
        try
        {
            var download = await container.GetBlobClient(Prefix(report.FiscalYear, report.Id) + file).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return new StoredFile(download.Value.Content, download.Value.Details.ETag.ToString("H"));
        }
        catch (Azure.RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Marks a report final: its manifest's metadata records who published it and when, written conditional on the
    /// manifest's ETag. When another request of the same publication marked it meanwhile, that is the answer; any other
    /// change of the metadata is read again and the mark retried.
    /// </summary>
    public async Task<ReportInfo> MarkFinalAsync(ReportInfo report, string publishedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var blob = container.GetBlobClient(Prefix(report.FiscalYear, report.Id) + ManifestName);
        for (var attempt = 1; ; attempt++)
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (properties.Value.Metadata.TryGetValue("status", out var status) && status == StatusFinal)
            {
                return FinalInfo(report, properties.Value.Metadata) ?? report with { Status = ReportStatus.Final, PublishedAt = at, PublishedBy = publishedBy };
            }
            var metadata = new Dictionary<string, string>(properties.Value.Metadata)
            {
                ["status"] = StatusFinal,
                ["publishedAt"] = at.ToString("O", CultureInfo.InvariantCulture),
                // Metadata values are ASCII: a Japanese display name is stored escaped.
                ["publishedBy"] = Uri.EscapeDataString(publishedBy),
            };
            try
            {
                await blob.SetMetadataAsync(metadata, new BlobRequestConditions { IfMatch = properties.Value.ETag }, cancellationToken);
                return report with { Status = ReportStatus.Final, PublishedAt = at, PublishedBy = publishedBy };
            }
            catch (Azure.RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ConditionNotMet && attempt < 5)
            {
                // Changed since read (another request of this publication): read it again.
            }
        }
    }

    private static ReportInfo? FinalInfo(ReportInfo report, IDictionary<string, string> metadata) =>
        metadata.TryGetValue("publishedAt", out var at) && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var publishedAt)
            ? report with
            {
                Status = ReportStatus.Final,
                PublishedAt = publishedAt,
                PublishedBy = metadata.TryGetValue("publishedBy", out var by) ? Uri.UnescapeDataString(by) : null,
            }
            : null;

    private const string StatusFinal = "final";

    private static string Prefix(int fiscalYear, string id) => $"fy{fiscalYear:D4}/{id}/";

    private static ReportInfo Info(int fiscalYear, string id, DateTimeOffset createdAt, long size, string trigger, string? sha, string? dataSha, bool hasHtml) => new(
        id, fiscalYear, createdAt, size, $"/api/reports/{fiscalYear}?id={id}", $"fy{fiscalYear:D4}/{id}/{SnapshotName}", trigger, sha,
        $"/api/reports/{fiscalYear}?id={id}&format=csv", $"/api/reports/{fiscalYear}?id={id}&format=json", DataSha256: dataSha,
        HtmlPath: hasHtml ? $"/api/reports/{fiscalYear}?id={id}&format=html" : null);
}
