using System.Text;

namespace Recovery.Clinical;

/// <summary>The wire spelling of clinical enumerations: PascalCase names as lower-case kebab strings.</summary>
public static class Kebab
{
    public static string Of<T>(T value) where T : struct, Enum => Of(value.ToString());

    public static string Of(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>Parses a kebab, camel or Pascal spelling of an enumeration value.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var compact = text.Replace("-", "").Replace("_", "");
        return !int.TryParse(compact, out _) && Enum.TryParse(compact, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    public static IReadOnlyList<string> AllOf<T>() where T : struct, Enum => Enum.GetValues<T>().Select(v => Of(v)).ToList();
}
