using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Recovery.BuildingBlocks.Privacy;

/// <summary>
/// Keyed blind indexes of identifying values (a name, a birth date): equal inputs give equal index values, so a clinic can
/// find a patient or the network can compare a registration with its record, without the value being stored in plaintext.
/// The key is derived from the deployment's master key (HKDF), so without it an index value cannot be tested against a
/// guessed name. Index values are personal data: they go with the person at erasure.
/// </summary>
public sealed class BlindIndex(byte[] masterKey)
{
    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "recovery blind index v1"u8.ToArray());

    /// <summary>The index value of <paramref name="value"/> for <paramref name="purpose"/> ("family-name", "birth-date", ...).</summary>
    public string Of(string purpose, string value) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{purpose}\n{value}")));

    public string OfName(string purpose, string name) => Of(purpose, NormalisedName(name));

    public string OfDate(string purpose, DateOnly date) => Of(purpose, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>
    /// A name as compared: letters and digits only, accents dropped, lower case ("José de la Cruz-Núñez" and
    /// "JOSE DE LA CRUZ NUNEZ" are the same name), so spelling of spaces, hyphens and accents does not split one person.
    /// The services run with invariant globalization (no ICU, so no Unicode decomposition): the Latin letters with
    /// diacritics are folded by the table below; other scripts are compared as written, lower-cased.
    /// </summary>
    public static string NormalisedName(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (Folded.TryGetValue(c, out var plain)) text.Append(plain);
            else if (char.IsLetterOrDigit(c)) text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    /// <summary>Latin-1 Supplement and Latin Extended-A letters, to their unaccented form.</summary>
    private static readonly Dictionary<char, string> Folded = new (string Letters, string Plain)[]
    {
        ("ÀÁÂÃÄÅàáâãäåĀāĂăĄą", "a"),
        ("ÇçĆćĈĉĊċČč", "c"),
        ("Ďď", "d"),
        ("ÈÉÊËèéêëĒēĔĕĖėĘęĚě", "e"),
        ("ĜĝĞğĠġĢģ", "g"),
        ("Ĥĥ", "h"),
        ("ÌÍÎÏìíîïĨĩĪīĬĭĮįİ", "i"),
        ("Ĳĳ", "ij"),
        ("Ĵĵ", "j"),
        ("Ķķ", "k"),
        ("ĹĺĻļĽľ", "l"),
        ("ÑñŃńŅņŇň", "n"),
        ("ÒÓÔÕÖòóôõöŌōŎŏŐő", "o"),
        ("ŔŕŖŗŘř", "r"),
        ("ŚśŜŝŞşŠšſ", "s"),
        ("ŢţŤť", "t"),
        ("ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų", "u"),
        ("Ŵŵ", "w"),
        ("ÝýÿŶŷŸ", "y"),
        ("ŹźŻżŽž", "z"),
        ("ß", "ss"),
        ("æÆ", "ae"),
        ("øØ", "o"),
        ("đĐðÐ", "d"),
        ("łŁ", "l"),
        ("œŒ", "oe"),
        ("þÞ", "th"),
        ("ı", "i"),
    }.SelectMany(f => f.Letters.Select(c => (c, f.Plain))).ToDictionary(f => f.c, f => f.Plain);
}
