using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Reporting.Infrastructure;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    /// <summary>Requests per client per minute, across every instance; a client is the token's subject, or the address when anonymous.</summary>
    public int PermitsPerMinute { get; set; } = 1200;
}

/// <summary>What the quota allows a request: to go on, or to wait <see cref="RetryAfter"/>.</summary>
public readonly record struct QuotaDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// The per-client rate limit, held across every instance of the app (Flex Consumption runs as many as the load asks
/// for): a fixed window of one minute per client, counted in Table Storage. Each instance writes its own count of a
/// client's window in a row of its own (so instances never contend for one entity) and reads the others'. An instance
/// lets at most <see cref="Batch"/> requests of a client through on what it last read (a fiftieth of the limit, none
/// when the limit is under 50) before it writes its count and reads the others' again, and from half the limit on it
/// does so for every request: the limit is exceeded by at most (instances − 1) × (Batch + 1) requests, whatever the
/// number of instances, and far from the limit a request costs a storage call only once in every Batch + 1. Counts are
/// also exchanged in the background a quarter of a second after a request. Storage being away never refuses a request
/// here: the request meets the outage itself (503).
/// </summary>
public sealed class RequestQuota(ReportingTables tables, IOptions<RateLimitOptions> options, TimeProvider clock, ILogger<RequestQuota> logger)
{
    private static readonly TimeSpan ExchangeEvery = TimeSpan.FromMilliseconds(250);
    private const double NearShare = 0.5;

    private readonly string instance = Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentDictionary<(string Caller, long Window), Bucket> buckets = new();
    private long pruned;

    private sealed class Bucket
    {
        public int Mine;
        public int Written;
        public bool Read;
        public int Others;
        public bool Scheduled;
        public readonly SemaphoreSlim Gate = new(1, 1);
    }

    public int Limit => options.Value.PermitsPerMinute;

    /// <summary>How many requests an instance lets through on the counts it last read, far from the limit.</summary>
    public int Batch => Limit / 50;

    /// <summary>A client's key as stored: a hash, so no subject or address is kept in storage.</summary>
    public static string KeyOf(string client) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(client)))[..24];

    public async ValueTask<QuotaDecision> TryAcquireAsync(string client, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var window = now.ToUnixTimeSeconds() / 60;
        var retryAfter = TimeSpan.FromSeconds(60 - now.ToUnixTimeSeconds() % 60);
        var key = KeyOf(client);
        var bucket = buckets.GetOrAdd((key, window), _ => new Bucket());
        Prune(window);
        lock (bucket)
        {
            if (bucket.Read && bucket.Mine - bucket.Written < Batch && bucket.Mine + bucket.Others + 1 <= Limit * NearShare)
            {
                bucket.Mine++;
                Schedule(key, window, bucket);
                return new QuotaDecision(true, TimeSpan.Zero);
            }
        }
        // Near the limit, or a batch used up: decide on what every instance has counted, and count this request where they
        // will see it.
        await bucket.Gate.WaitAsync(cancellationToken);
        try
        {
            try
            {
                await ExchangeAsync(key, window, bucket, cancellationToken);
            }
            catch (Exception ex) when (ex is RequestFailedException || StorageFaults.IsUnavailable(ex))
            {
                logger.LogWarning(ex, "Rate limit counts unavailable; the request is let through");
            }
            lock (bucket)
            {
                if (bucket.Mine + bucket.Others + 1 > Limit) return new QuotaDecision(false, retryAfter);
                bucket.Mine++;
            }
            try
            {
                await ExchangeAsync(key, window, bucket, cancellationToken);
            }
            catch (Exception ex) when (ex is RequestFailedException || StorageFaults.IsUnavailable(ex))
            {
                logger.LogWarning(ex, "Rate limit count not written; the request is let through");
            }
            return new QuotaDecision(true, TimeSpan.Zero);
        }
        finally
        {
            bucket.Gate.Release();
        }
    }

    /// <summary>Writes this instance's count of the window and reads the other instances'.</summary>
    private async Task ExchangeAsync(string key, long window, Bucket bucket, CancellationToken cancellationToken)
    {
        int mine;
        lock (bucket) mine = bucket.Mine;
        var partition = Partition(window);
        if (mine != bucket.Written)
        {
            await tables.RateLimits.UpsertEntityAsync(new TableEntity(partition, $"{key}|{instance}") { ["Count"] = mine }, TableUpdateMode.Replace, cancellationToken);
            lock (bucket) bucket.Written = Math.Max(bucket.Written, mine);
        }
        var others = 0;
        await foreach (var row in tables.RateLimits.QueryAsync<TableEntity>(
                           $"PartitionKey eq '{partition}' and RowKey ge '{key}|' and RowKey lt '{key}}}'", select: ["RowKey", "Count"], cancellationToken: cancellationToken))
        {
            if (!row.RowKey.EndsWith("|" + instance, StringComparison.Ordinal)) others += row.GetInt32("Count") ?? 0;
        }
        lock (bucket)
        {
            bucket.Others = others;
            bucket.Read = true;
        }
    }

    private void Schedule(string key, long window, Bucket bucket)
    {
        if (bucket.Scheduled) return;
        bucket.Scheduled = true;
        _ = Task.Run(async () =>
        {
            await Task.Delay(ExchangeEvery, clock);
            lock (bucket) bucket.Scheduled = false;
            if (!await bucket.Gate.WaitAsync(0)) return; // a request near the limit is exchanging now
            try
            {
                await ExchangeAsync(key, window, bucket, CancellationToken.None);
            }
            catch (Exception ex) when (ex is RequestFailedException || StorageFaults.IsUnavailable(ex) || ex is OperationCanceledException)
            {
                logger.LogDebug(ex, "Rate limit counts not exchanged");
            }
            finally
            {
                bucket.Gate.Release();
            }
        });
    }

    /// <summary>Forgets windows that have ended, and deletes this instance's rows of them.</summary>
    private void Prune(long window)
    {
        if (Interlocked.Exchange(ref pruned, window) == window) return;
        foreach (var ((key, w), _) in buckets)
        {
            if (w >= window - 1 || !buckets.TryRemove((key, w), out _)) continue;
            _ = tables.RateLimits.DeleteEntityAsync(Partition(w), $"{key}|{instance}").ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    private static string Partition(long window) => window.ToString("D12", CultureInfo.InvariantCulture);
}
