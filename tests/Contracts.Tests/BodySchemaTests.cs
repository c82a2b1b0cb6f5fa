extern alias assessment;
extern alias detox;
extern alias relapse;
extern alias timeline;
using System.Text.Json.Nodes;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Clinical;
using Recovery.Contracts.Assessment.V1;
using Recovery.Contracts.Detox.V1;
using DetoxPlans = detox::Recovery.Detox.Plans;
using RelapseTracking = relapse::Recovery.Relapse;

namespace Recovery.Contracts.Tests;

/// <summary>What each body's schema says, checked against the C# types and the services' enums it is generated from.</summary>
public class BodySchemaTests
{
    /// <summary>Where each list of enumerated values comes from: the service's enum, spelled as its gateway spells it.</summary>
    public static TheoryData<string, IReadOnlyList<string>, IReadOnlyList<string>> Enumerations => new()
    {
        { "sex", EnumeratedValues.Sexes, Kebab.AllOf<assessment::Recovery.Assessment.Patients.Sex>() },
        { "DSM-5 criterion", EnumeratedValues.OudCriteria, Kebab.AllOf<OudCriterion>() },
        { "severity", EnumeratedValues.Severities, Kebab.AllOf<OudSeverity>() },
        { "lab test", EnumeratedValues.LabTests, Kebab.AllOf<assessment::Recovery.Assessment.Episodes.LabTest>() },
        { "lab result", EnumeratedValues.LabResults, Kebab.AllOf<assessment::Recovery.Assessment.Episodes.LabOutcome>() },
        { "cardiovascular conclusion", EnumeratedValues.CardiovascularConclusions, Kebab.AllOf<assessment::Recovery.Assessment.Episodes.CardiovascularConclusion>() },
        { "COWS item", EnumeratedValues.CowsItems, Kebab.AllOf<CowsItem>() },
        { "withdrawal band", EnumeratedValues.WithdrawalBands, Kebab.AllOf<WithdrawalBand>() },
        { "medication", EnumeratedValues.Medications, Kebab.AllOf<DetoxPlans.Medication>() },
        { "dose phase", EnumeratedValues.DosePhases, Kebab.AllOf<DetoxPlans.SchedulePhase>() },
        { "last opioid kind", EnumeratedValues.OpioidKinds, Kebab.AllOf<DetoxPlans.OpioidKind>() },
        { "induction screen result", EnumeratedValues.InductionScreenResults, Kebab.AllOf<DetoxPlans.ScreenResult>() },
        { "dropout reason", EnumeratedValues.DropoutReasons, Kebab.AllOf<DetoxPlans.DropoutReason>() },
        { "detox outcome", EnumeratedValues.DetoxOutcomes, Kebab.AllOf<RelapseTracking.Monitorings.DetoxOutcome>() },
        { "screened substance", EnumeratedValues.ScreenedSubstances, Kebab.AllOf<RelapseTracking.Screens.Substance>() },
        { "screen result", EnumeratedValues.ScreenResults, Kebab.AllOf<RelapseTracking.Screens.ScreenResult>() },
        { "visit source", EnumeratedValues.VisitSources, Kebab.AllOf<RelapseTracking.MissedVisits.VisitSource>() },
        { "sharing purpose", EnumeratedValues.SharingPurposes, Kebab.AllOf<timeline::Recovery.Timeline.Sharing.SharingPurpose>() },
        {
            "prescribed opioid", EnumeratedValues.PrescribedOpioids,
            Kebab.AllOf<DetoxPlans.Medication>().Select(m => RelapseTracking.Screens.Substances.PrescribedOpioidOf(m)).OfType<RelapseTracking.Screens.Substance>()
                .Select(s => Kebab.Of(s)).ToList()
        },
    };

    [Theory]
    [MemberData(nameof(Enumerations))]
    public void An_enumerated_field_lists_exactly_the_values_its_service_publishes(string field, IReadOnlyList<string> contract,
        IReadOnlyList<string> service) =>
        Assert.True(contract.Order().SequenceEqual(service.Order()),
            $"{field}: the contract lists {string.Join(", ", contract)}; the service publishes {string.Join(", ", service)}");

    [Fact]
    public void Integers_decimals_formats_nullability_and_enums_are_as_the_records_say()
    {
        var dose = Property(typeof(DoseGiven));
        Assert.Equal("number", dose("doseMg")["type"]!.GetValue<string>());
        Assert.Equal("uuid", dose("planId")["format"]!.GetValue<string>());
        Assert.Equal("date-time", dose("givenAt")["format"]!.GetValue<string>());
        Assert.Equal(["string", "null"], dose("episodeId")["type"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(EnumeratedValues.Medications, dose("medication")["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(EnumeratedValues.Roles, dose("recordedBy")["properties"]!["role"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));

        var criteria = Property(typeof(OudCriteriaRecorded));
        Assert.Equal("integer", criteria("criteriaCounted")["type"]!.GetValue<string>());
        Assert.Equal(EnumeratedValues.OudCriteria, criteria("criteriaMet")["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains(null, criteria("icd10Code")["enum"]!.AsArray());

        var schedule = Property(typeof(DetoxPlanDrafted))("schedule")["items"]!;
        Assert.Equal("number", schedule["properties"]!["dailyDoseMg"]!["type"]!.GetValue<string>());
        Assert.Equal("integer", schedule["properties"]!["days"]!["type"]!.GetValue<string>());
        Assert.Equal("date", Property(typeof(DoseMissed))("missedOn")["format"]!.GetValue<string>());
    }

    [Fact]
    public void Every_field_is_required_and_none_beyond_the_record_is_allowed()
    {
        foreach (var contract in ContractEvents.All)
        {
            var schema = AsyncApiDocument.BodySchema(contract);
            var properties = schema["properties"]!.AsObject().Select(p => p.Key).ToList();
            Assert.Equal(properties, schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
            Assert.False(schema["additionalProperties"]!.GetValue<bool>(), contract.Name);
            Assert.Equal(contract.GetProperties().Length, properties.Count);
        }
    }

    [Fact]
    public void A_body_off_its_schema_is_refused_naming_each_field_that_is_wrong()
    {
        var body = new JsonObject
        {
            ["patientId"] = "01a21513-8738-77ed-ba12-ed4f0f47487a",
            ["clinicId"] = "clinic-north",
            ["episodeId"] = null,
            ["occurredAt"] = "2026-11-25T09:14:03.512347+00:00",
            ["registrationId"] = "not-a-uuid",
            ["sex"] = "f",
            ["birthYear"] = 1986.5,
            ["recordedBy"] = null,
            ["effectiveAt"] = "2026-11-25T09:14:03.512347+00:00",
            ["recordedAt"] = "2026-11-25T09:14:03.512347+00:00",
            ["amends"] = null,
            ["nickname"] = "undocumented",
        };
        var violations = string.Join("\n", ContractSchemas.Violations(AsyncApiDocument.BodySchema(typeof(PatientRegistered)).ToJsonString(), body));
        foreach (var field in new[] { "/registrationId", "/sex", "/birthYear", "/nickname" }) Assert.Contains(field, violations);

        body["registrationId"] = "99e0989d-432e-51c2-8cfd-c2feffd591f8";
        body["sex"] = "female";
        body["birthYear"] = 1986;
        body.Remove("nickname");
        Assert.Empty(ContractSchemas.Violations(AsyncApiDocument.BodySchema(typeof(PatientRegistered)).ToJsonString(), body));
    }

    private static Func<string, JsonNode> Property(Type contract)
    {
        var properties = AsyncApiDocument.BodySchema(contract)["properties"]!;
        return name => properties[name] ?? throw new InvalidOperationException($"{contract.Name} has no {name}");
    }
}
