namespace Reporting.Infrastructure;

/// <summary>
/// Japan time, fiscal years (April–March) and era names.
/// Computed in code because <c>WEBSITE_TIME_ZONE</c> is not honoured on Linux Consumption/Flex
/// and the host evaluates schedules in UTC. Japan has had no daylight saving since 1951,
/// so a fixed +09:00 offset is exact and needs no tz database on the worker image.
/// </summary>
public static class JapanTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    /// <summary>First fiscal year of the Reiwa era: 令和元年 began on 2019-05-01, 令和元年度 is FY2019.</summary>
    private const int ReiwaFirstYear = 2019;

    public static DateTimeOffset ToJapan(DateTimeOffset instant) => instant.ToOffset(Offset);

    public static DateTimeOffset Now(TimeProvider clock) => ToJapan(clock.GetUtcNow());

    /// <summary>The fiscal year (年度) an instant falls in: FY N runs from 1 April N to 31 March N+1, Japan time.</summary>
    public static int FiscalYearOf(DateTimeOffset instant)
    {
        var jst = ToJapan(instant);
        return jst.Month >= 4 ? jst.Year : jst.Year - 1;
    }

    public static int CurrentFiscalYear(TimeProvider clock) => FiscalYearOf(clock.GetUtcNow());

    public static int CurrentCalendarYear(TimeProvider clock) => Now(clock).Year;

    /// <summary>The last fiscal year that has ended: the one an annual report covers.</summary>
    public static int LatestCompletedFiscalYear(TimeProvider clock) => CurrentFiscalYear(clock) - 1;

    /// <summary>"令和7" for 2025, "令和元" for 2019. Years before Reiwa are written in Heisei.</summary>
    public static string EraYear(int westernYear)
    {
        if (westernYear >= ReiwaFirstYear)
        {
            var n = westernYear - ReiwaFirstYear + 1;
            return n == 1 ? "令和元" : $"令和{n}";
        }
        var h = westernYear - 1988;
        return h == 1 ? "平成元" : $"平成{h}";
    }

    /// <summary>"令和7年度（2025年度）".</summary>
    public static string FiscalYearLabel(int fiscalYear) => $"{EraYear(fiscalYear)}年度（{fiscalYear}年度）";

    /// <summary>A period label in the indicator's own year type: "2025年度" or "2025年", or a range "2021–2023年".</summary>
    public static string PeriodLabel(int from, int to, bool fiscal)
    {
        var suffix = fiscal ? "年度" : "年";
        return from == to ? $"{from}{suffix}" : $"{from}–{to}{suffix}";
    }

    /// <summary>"令和8年11月23日" in Japan time: a date as the rest of a white paper writes it.</summary>
    public static string EraDateLabel(DateTimeOffset instant)
    {
        var jst = ToJapan(instant);
        // 令和 began on 1 May 2019; earlier dates are 平成.
        var era = jst.Year > ReiwaFirstYear || (jst.Year == ReiwaFirstYear && jst.Month >= 5) ? EraYear(jst.Year) : $"平成{(jst.Year - 1988 == 1 ? "元" : (jst.Year - 1988).ToString(System.Globalization.CultureInfo.InvariantCulture))}";
        return $"{era}年{jst.Month}月{jst.Day}日";
    }

    /// <summary>"2026年11月23日" in Japan time.</summary>
    public static string DateLabel(DateTimeOffset instant)
    {
        var jst = ToJapan(instant);
        return $"{jst.Year}年{jst.Month}月{jst.Day}日";
    }

    /// <summary>"2026年6月30日": a day of the Japanese calendar (a window's first or last day).</summary>
    public static string DayLabel(DateOnly day) => $"{day.Year}年{day.Month}月{day.Day}日";
}

/// <summary>The fiscal year in a route (<c>/api/reports/{fiscalYear}</c>, …): exactly four ASCII digits, 2000 to a maximum.</summary>
public static class FiscalYearRoute
{
    public const int Latest = 2100;

    /// <summary>A four-digit year from 2000 to <paramref name="max"/>; full-width digits (２０２５) read as a value's year does.</summary>
    public static bool TryParse(string raw, int max, out int year)
    {
        year = 0;
        raw = Numerals.Halfwidth(raw);
        return raw.Length == 4 && raw.All(char.IsAsciiDigit)
            && int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out year)
            && year >= 2000 && year <= max;
    }
}
