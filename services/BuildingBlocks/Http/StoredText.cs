using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recovery.BuildingBlocks.Http;

/// <summary>
/// Every string a request carries, checked once as it is read. Text is stored and returned exactly as sent (quotes,
/// markup, SQL, emoji, right-to-left marks are data, never interpreted), except what cannot be stored faithfully:
/// NUL and other control characters (PostgreSQL's jsonb refuses \u0000) and unpaired UTF-16 surrogates (not text at all).
/// The refusal is a 400 naming the field, like any unreadable JSON.
/// </summary>
public sealed class StoredTextConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null) return null;
        if (!IsStorable(text))
            throw new JsonException("must be Unicode text without control characters (other than tab, line feed and carriage return)");
        return text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public static bool IsStorable(string text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != System.Buffers.OperationStatus.Done) return false; // unpaired surrogate
            if (Rune.IsControl(rune) && rune.Value is not ('\t' or '\n' or '\r')) return false;
            rest = rest[used..];
        }
        return true;
    }
}
