using Recovery.Assessment.Patients;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;
using static Recovery.Assessment.Tests.AssessmentFacts;

namespace Recovery.Assessment.Tests;

/// <summary>Linking a registration to an existing network patient: by matching identifying data, or by a link code.</summary>
public class IdentityTests
{
    public static readonly BlindIndex Index = new(new byte[32]);

    private static readonly DateOnly Born = new(1984, 3, 2);

    /// <summary>The patient's registration at the first clinic, as its index holds it.</summary>
    private static RegistrationIndex Known(string given = "María José", string family = "Núñez-Cruz", DateOnly? born = null, Sex sex = Sex.Female)
    {
        var keys = IdentityKeys.Of(Index, given, family, born ?? Born);
        return new RegistrationIndex
        {
            Id = Guid.NewGuid(), PatientId = PatientId, ClinicId = "north", ClinicRecordNumber = "N-1", Sex = sex,
            FullName = keys.FullName, FamilyName = keys.FamilyName, GivenName = keys.GivenName, BirthDate = keys.BirthDate,
        };
    }

    private static RegisterPatient At(string given, string family, DateOnly born, Sex sex, string? code = null) =>
        new("S-1", given, family, born, sex, null, PatientId, Now, IdentityKeys.Of(Index, given, family, born), LinksToExisting: true, code);

    private static Decision Register(RegisterPatient command, params RegistrationIndex[] record) => Register(command, null, record);

    private static Decision Register(RegisterPatient command, LinkCode? code, params RegistrationIndex[] record) =>
        PatientRegistration.Decide(new RegistrationRead(null, record, code), Guid.NewGuid(), command, Sealing.Fake, "south", Now);

    [Fact]
    public void The_same_person_written_with_other_accents_spaces_and_case_is_linked_and_indexed()
    {
        var decision = Register(At("MARIA JOSE", "Nunez Cruz", Born, Sex.Female), Known());
        Assert.True(decision.IsAccepted, decision.Error?.Message);
        var index = Assert.IsType<RegistrationIndex>(Assert.Single(decision.Documents!));
        Assert.Equal((PatientId, "south", Known().FullName), (index.PatientId, index.ClinicId, index.FullName));
    }

    [Theory]
    [InlineData("María José", "Núñez-Cruz", "1984-03-03", "female")] // the next day
    [InlineData("María José", "Núñez-Cruz", "1961-03-02", "female")]
    [InlineData("María José", "Núñez-Cruz", "1984-03-02", "male")]
    [InlineData("María", "Núñez-Cruz", "1984-03-02", "female")]
    [InlineData("Joseph", "Brown", "1961-07-09", "male")]
    public void Another_persons_data_is_refused_and_nothing_is_linked(string given, string family, string born, string sex)
    {
        var decision = Register(At(given, family, DateOnly.Parse(born), Enum.Parse<Sex>(sex, ignoreCase: true)), Known());
        Assert.Equal((ErrorKind.Conflict, "identity-mismatch"), (decision.Error!.Kind, decision.Error.Rule));
        Assert.Contains("patientId", decision.Error.Errors!.Keys);
        Assert.Empty(decision.Events);
        Assert.Null(decision.Documents);
    }

    [Theory]
    [InlineData(Sex.Unknown, Sex.Female)]
    [InlineData(Sex.Female, Sex.Unknown)]
    public void A_sex_recorded_as_unknown_on_either_side_is_no_mismatch(Sex recorded, Sex given) =>
        Assert.True(Register(At("María José", "Núñez-Cruz", Born, given), Known(sex: recorded)).IsAccepted);

    [Fact]
    public void A_match_with_any_live_registration_of_the_patient_links_and_an_erased_or_unlinked_one_does_not()
    {
        var command = At("María José", "Núñez-Cruz", Born, Sex.Female);
        Assert.True(Register(command, Known(given: "Mary"), Known()).IsAccepted);
        Assert.Equal("identity-mismatch", Register(command, Known().Erase()).Error!.Rule);
        Assert.Equal("identity-mismatch", Register(command, Known() with { Unlinked = true }).Error!.Rule);
    }

    [Fact]
    public void A_patient_unknown_to_the_network_is_a_new_network_record() =>
        Assert.True(Register(At("Joseph", "Brown", Born, Sex.Male)).IsAccepted);

    private static LinkCode Code(DateTimeOffset expires, DateTimeOffset? used = null, Guid? patient = null) => new()
    {
        Id = LinkCode.IdOf("7KQ4M-2XDPA"), PatientId = patient ?? PatientId, IssuedBy = "north", IssuedAt = expires.AddHours(-24),
        ExpiresAt = expires, UsedAt = used,
    };

    [Fact]
    public void A_valid_link_code_links_a_person_whose_data_changed_and_is_spent()
    {
        var decision = Register(At("Maria", "Smith", Born, Sex.Female, "7kq4m 2xdpa"), Code(Now.AddSeconds(1)), Known());
        Assert.True(decision.IsAccepted, decision.Error?.Message);
        var spent = Assert.Single(decision.Documents!.OfType<LinkCode>());
        Assert.Equal((Now, "south"), (spent.UsedAt, spent.UsedBy));
    }

    [Theory]
    [InlineData(0, false, false, "link-code-expired")] // expires at this instant
    [InlineData(1, true, false, "link-code-used")]
    [InlineData(1, false, true, "link-code-invalid")] // issued for another patient
    public void A_link_code_expired_used_or_for_another_patient_is_refused(int expiresInSeconds, bool used, bool otherPatient, string rule)
    {
        var code = Code(Now.AddSeconds(expiresInSeconds), used ? Now.AddHours(-1) : null, otherPatient ? Guid.NewGuid() : null);
        var decision = Register(At("Maria", "Smith", Born, Sex.Female, "7KQ4M-2XDPA"), code, Known());
        Assert.Equal((ErrorKind.Conflict, rule), (decision.Error!.Kind, decision.Error.Rule));
        Assert.Contains("linkCode", decision.Error.Errors!.Keys);
        Assert.Null(decision.Documents);
    }

    [Fact]
    public void An_unknown_link_code_is_refused() =>
        Assert.Equal("link-code-invalid", Register(At("Maria", "Smith", Born, Sex.Female, "ZZZZZ-ZZZZZ"), (LinkCode?)null, Known()).Error!.Rule);

    [Fact]
    public void Link_codes_are_ten_readable_characters_and_their_id_ignores_case_and_separators()
    {
        var code = LinkCode.NewCode();
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$", code);
        Assert.Equal(LinkCode.IdOf(code), LinkCode.IdOf(code.ToLowerInvariant().Replace("-", " ")));
        Assert.NotEqual(LinkCode.IdOf(code), LinkCode.IdOf(LinkCode.NewCode()));
    }

    [Theory]
    [InlineData("José de la Cruz-Núñez", "JOSE DE LA CRUZ NUNEZ")]
    [InlineData("O'Brien", "obrien")]
    public void Names_are_compared_without_accents_case_or_punctuation(string a, string b) =>
        Assert.Equal(BlindIndex.NormalisedName(a), BlindIndex.NormalisedName(b));

    [Fact]
    public void A_blind_index_depends_on_the_key_and_the_purpose()
    {
        var other = new BlindIndex(Enumerable.Repeat((byte)1, 32).ToArray());
        Assert.NotEqual(Index.OfName("family-name", "Silva"), other.OfName("family-name", "Silva"));
        Assert.NotEqual(Index.OfName("family-name", "Silva"), Index.OfName("given-name", "Silva"));
        Assert.DoesNotContain("silva", Index.OfName("family-name", "Silva"), StringComparison.OrdinalIgnoreCase);
    }
}
