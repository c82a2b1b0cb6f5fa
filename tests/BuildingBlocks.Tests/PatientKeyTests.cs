using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Recovery.BuildingBlocks.Privacy;

namespace Recovery.BuildingBlocks.Tests;

/// <summary>The pure part of the personal-data vault: sealing, opening, wrapping keys, reading the master key.</summary>
public class PatientKeyTests
{
    private static readonly Guid Patient = Guid.Parse("0190a000-0000-7000-8000-0000000000aa");
    private static readonly Guid Other = Guid.Parse("0190a000-0000-7000-8000-0000000000bb");
    private const string Note = "Relapsed last weekend; partner does not know.";

    [Fact]
    public void What_is_sealed_opens_to_the_same_text_and_does_not_show_it()
    {
        var key = PatientKey.New(Patient);
        var sealedNote = key.Seal(Note);
        Assert.StartsWith("v1:", sealedNote.Value);
        Assert.DoesNotContain("partner", sealedNote.Value);
        Assert.Equal(Note, key.Open(sealedNote));
    }

    [Fact]
    public void The_same_text_seals_differently_each_time() =>
        Assert.NotEqual(PatientKey.New(Patient).Seal(Note), PatientKey.New(Patient).Seal(Note));

    [Fact]
    public void A_value_sealed_for_one_patient_does_not_open_as_another_patients_even_with_the_same_key_bytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        var sealedNote = new PatientKey(Patient, bytes).Seal(Note);
        Assert.ThrowsAny<CryptographicException>(() => new PatientKey(Other, bytes).Open(sealedNote));
    }

    [Fact]
    public void Another_key_cannot_open_it() =>
        Assert.ThrowsAny<CryptographicException>(() => PatientKey.New(Patient).Open(PatientKey.New(Patient).Seal(Note)));

    [Theory]
    [InlineData(3)]  // in the nonce
    [InlineData(20)] // in the cipher text
    [InlineData(-1)] // in the tag
    public void An_altered_value_does_not_open(int position)
    {
        var key = PatientKey.New(Patient);
        var bytes = Convert.FromBase64String(key.Seal(Note).Value["v1:".Length..]);
        bytes[position < 0 ? bytes.Length + position : position] ^= 0x01;
        Assert.ThrowsAny<CryptographicException>(() => key.Open(new Sealed("v1:" + Convert.ToBase64String(bytes))));
    }

    [Theory]
    [InlineData("plain text from before sealing")]
    [InlineData("v1:not-base64!")]
    [InlineData("v1:AAAA")]
    public void What_is_not_a_sealed_value_does_not_open(string value) =>
        Assert.ThrowsAny<CryptographicException>(() => PatientKey.New(Patient).Open(new Sealed(value)));

    [Fact]
    public void A_wrapped_key_unwraps_only_with_its_master_key_and_for_its_patient()
    {
        var master = RandomNumberGenerator.GetBytes(32);
        var key = PatientKey.New(Patient);
        var wrapped = key.Wrap(master);
        Assert.Equal(Note, PatientKey.Unwrap(Patient, wrapped, master).Open(key.Seal(Note)));
        Assert.ThrowsAny<CryptographicException>(() => PatientKey.Unwrap(Patient, wrapped, RandomNumberGenerator.GetBytes(32)));
        Assert.ThrowsAny<CryptographicException>(() => PatientKey.Unwrap(Other, wrapped, master));
    }

    [Fact]
    public void A_reader_without_the_key_reads_null_and_says_the_data_was_erased()
    {
        var sealedNote = PatientKey.New(Patient).Seal(Note);
        var erased = new PersonalDataReader(null);
        Assert.Null(erased.Open(sealedNote));
        Assert.True(erased.Erased);

        var nothingSealed = new PersonalDataReader(null);
        Assert.Null(nothingSealed.Open(null));
        Assert.False(nothingSealed.Erased);

        // A key made after the erasure does not open what was sealed before it.
        var newer = new PersonalDataReader(PatientKey.New(Patient));
        Assert.Null(newer.Open(sealedNote));
        Assert.True(newer.Erased);
    }

    [Fact]
    public void A_sealed_value_is_a_plain_json_string()
    {
        var sealedNote = PatientKey.New(Patient).Seal(Note);
        var json = JsonSerializer.Serialize(new { note = sealedNote });
        Assert.Equal(sealedNote.Value, JsonDocument.Parse(json).RootElement.GetProperty("note").GetString());
        Assert.Equal(sealedNote, JsonSerializer.Deserialize<Holder>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!.Note);
    }

    private sealed record Holder(Sealed? Note);

    [Theory]
    [InlineData(null, "is not configured")]
    [InlineData("", "is not configured")]
    [InlineData("not base64 at all", "exactly 32 bytes")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==", "exactly 32 bytes")]
    public void A_missing_or_malformed_master_key_stops_start_up_saying_what_is_wrong(string? value, string message)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [PersonalDataVault.MasterKeySetting] = value }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => PersonalDataVault.MasterKeyFrom(configuration));
        Assert.Contains(message, error.Message);
        Assert.Contains("Privacy:MasterKey", error.Message);
    }

    [Fact]
    public void A_master_key_is_read_from_base64()
    {
        var master = RandomNumberGenerator.GetBytes(32);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [PersonalDataVault.MasterKeySetting] = Convert.ToBase64String(master) })
            .Build();
        Assert.Equal(master, PersonalDataVault.MasterKeyFrom(configuration));
    }
}
