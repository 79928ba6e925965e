using Reporting.Infrastructure;

namespace Reporting.Tests.Infrastructure;

/// <summary>Numbers as people type them into Excel: read when they are plainly numbers, refused (never guessed) otherwise.</summary>
public sealed class NumeralsTests
{
    [Theory]
    [InlineData("15020", 15020)]
    [InlineData("15,020", 15020)]
    [InlineData("1,234,567.5", 1234567.5)]
    [InlineData("１５，０２０", 15020)]
    [InlineData("２０．５", 20.5)]
    [InlineData(" 33.5 ", 33.5)]
    [InlineData("－3", -3)]
    [InlineData("1.5E+04", 15000)]
    public void APlainNumber_IsRead(string typed, double expected)
    {
        Assert.Null(Numerals.ParseDecimal(typed, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("3,2", "thousands separator")]
    [InlineData("1,0,0", "thousands separator")]
    [InlineData("12,34.5", "thousands separator")]
    [InlineData("1,2345", "thousands separator")]
    [InlineData(",123", "thousands separator")]
    [InlineData("①⓪", "is not a number")]
    [InlineData("△123", "is not a number")]
    [InlineData("33.5%", "is not a number")]
    [InlineData("1 234", "is not a number")]
    [InlineData("3,2.", "is not a number")]
    [InlineData("0x10", "is not a number")]
    [InlineData("Infinity", "is not a number")]
    [InlineData("1e400", "finite")]
    public void AnythingElse_IsRefused_SayingWhy(string typed, string why)
    {
        Assert.Contains(why, Numerals.ParseDecimal(typed, out _)!.English);
    }

    [Theory]
    [InlineData("２０２５", "2025")]
    [InlineData("２０２５　", "2025 ")]
    [InlineData("令和７", "令和7")]
    public void FullWidthForms_ReadAsTheirAsciiForms(string typed, string read)
    {
        Assert.Equal(read, Numerals.Halfwidth(typed));
    }

    [Theory]
    [InlineData("2025", true)]
    [InlineData("２０２５", true)]
    [InlineData("202５", true)]
    [InlineData("1999", false)]
    [InlineData("2025.0", false)]
    [InlineData("+2025", false)]
    [InlineData("٢٠٢٥", false)] // Arabic-Indic digits are digits to .NET, not to a Japanese ministry
    public void AFiscalYearInARoute_IsFourDigits_FullWidthIncluded(string raw, bool read)
    {
        Assert.Equal(read, FiscalYearRoute.TryParse(raw, FiscalYearRoute.Latest, out var year));
        if (read) Assert.Equal(2025, year);
    }
}
