using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Recovery.BuildingBlocks.Domain;

namespace Recovery.Timeline.Analytics;

public enum TableFormat
{
    Json,
    Csv,
    Ndjson,
}

/// <summary>Outcome tables as JSON for the web view and as CSV or NDJSON (one row per line) for bulk use.</summary>
public static class TableExport
{
    public const string CsvType = "text/csv";
    public const string NdjsonType = "application/x-ndjson";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>"?format=" wins; otherwise the Accept header; JSON by default.</summary>
    public static TableFormat FormatOf(FieldErrors errors, string? format, StringValues accept)
    {
        if (format is not null) return errors.OneOf<TableFormat>("format", format);
        var accepted = accept.ToString();
        if (accepted.Contains(CsvType, StringComparison.OrdinalIgnoreCase)) return TableFormat.Csv;
        if (accepted.Contains(NdjsonType, StringComparison.OrdinalIgnoreCase)) return TableFormat.Ndjson;
        return TableFormat.Json;
    }

    public static IResult Write<TRow>(TableFormat format, IReadOnlyList<TRow> rows, object envelope, string name) => format switch
    {
        TableFormat.Csv => new Attachment(Results.Text(Csv(rows), CsvType + "; charset=utf-8", Encoding.UTF8), $"{name}.csv"),
        TableFormat.Ndjson => Results.Text(Ndjson(rows), NdjsonType, Encoding.UTF8),
        _ => Results.Json(envelope),
    };

    public static string Csv<TRow>(IReadOnlyList<TRow> rows)
    {
        var columns = typeof(TRow).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var csv = new StringBuilder();
        csv.AppendJoin(',', columns.Select(c => JsonNamingPolicy.CamelCase.ConvertName(c.Name))).Append("\r\n");
        foreach (var row in rows)
            csv.AppendJoin(',', columns.Select(c => Cell(c.GetValue(row)))).Append("\r\n");
        return csv.ToString();
    }

    public static string Ndjson<TRow>(IReadOnlyList<TRow> rows)
    {
        var lines = new StringBuilder();
        foreach (var row in rows) lines.Append(JsonSerializer.Serialize(row, Json)).Append('\n');
        return lines.ToString();
    }

    /// <summary>RFC 4180 quoting; numbers in the invariant culture, so a decimal point whatever the server's locale.</summary>
    private static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }

    /// <summary>Names the download, so a browser saves the CSV as a file.</summary>
    private sealed class Attachment(IResult inner, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            return inner.ExecuteAsync(http);
        }
    }
}
