using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;
using Recovery.Contracts;
using Recovery.Contracts.Assessment.V1;
using Recovery.Timeline.Fhir;
using static Recovery.Timeline.Tests.Journey;

namespace Recovery.Timeline.Tests;

/// <summary>
/// The export of a whole journey, read back the way a receiver reads it: serialized to FHIR JSON by the SDK and
/// parsed again, so the assertions see what goes over the wire.
/// </summary>
public sealed class FhirExportTests
{
    private const string Loinc = "http://loinc.org";
    private const string Snomed = "http://snomed.info/sct";

    private static string Json(Bundle bundle) => bundle.ToJson();

    private static Bundle Parse(string json) => new FhirJsonDeserializer().Deserialize<Bundle>(json);

    private static string ExportJson() => Json(FhirExport.Build(PatientId, Facts(), Consents(), ExportedAt));

    private static readonly Bundle Exported = Parse(ExportJson());

    private static List<T> All<T>() where T : Resource => Exported.Entry.Select(e => e.Resource).OfType<T>().ToList();

    private static Resource Resolve(ResourceReference reference) =>
        Exported.Entry.Single(e => e.FullUrl == reference.Reference).Resource;

    private static bool Has(CodeableConcept concept, string system, string code) =>
        concept.Coding.Any(c => c.System == system && c.Code == code);

    [Fact]
    public void A_journey_becomes_a_collection_bundle_with_one_resource_per_fact_of_care()
    {
        Assert.Equal(Bundle.BundleType.Collection, Exported.Type);
        Assert.Equal(ExportedAt, Exported.Timestamp);
        var counts = Exported.Entry.GroupBy(e => e.Resource.TypeName).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int>
        {
            ["Patient"] = 1,
            ["Condition"] = 1,
            ["Observation"] = 3 + 4 + 2 + 2, // labs, cardiovascular (status + 3 measures), COWS, urine screens
            ["CarePlan"] = 1,
            ["MedicationAdministration"] = 3, // two doses given, one missed
            ["Encounter"] = 3, // two counseling sessions, one help-group meeting
            ["EpisodeOfCare"] = 1,
            ["Consent"] = 2,
        }, counts);
        Assert.All(Exported.Entry, e => Assert.Equal($"urn:uuid:{e.Resource.Id}", e.FullUrl));
    }

    [Fact]
    public void The_patient_has_sex_and_birth_year_and_nothing_that_names_them()
    {
        var patient = Assert.Single(All<Patient>());
        Assert.Equal(PatientId.ToString(), patient.Id);
        Assert.Equal(AdministrativeGender.Female, patient.Gender);
        Assert.Equal("1987", patient.BirthDate);
        Assert.Empty(patient.Name);
        Assert.Empty(patient.Telecom);
        Assert.Empty(patient.Address);
    }

    [Fact]
    public void The_use_disorder_is_coded_in_ICD_10_CM_and_SNOMED_with_the_latest_severity()
    {
        var condition = Assert.Single(All<Condition>());
        Assert.True(Has(condition.Code, "http://hl7.org/fhir/sid/icd-10-cm", "F11.20"));
        Assert.True(Has(condition.Code, Snomed, "75544000"));
        Assert.True(Has(condition.Severity, Snomed, "24484000")); // severe: the count of 6 replaced the count of 1
        Assert.True(Has(condition.ClinicalStatus, "http://terminology.hl7.org/CodeSystem/condition-clinical", "active"));
        Assert.True(Has(condition.VerificationStatus, "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"));
        Assert.IsType<Patient>(Resolve(condition.Subject));
        Assert.NotNull(condition.RecordedDate);
    }

    [Fact]
    public void Fewer_than_two_criteria_is_no_use_disorder_and_no_condition()
    {
        var facts = Facts().Take(3).ToList(); // registration, assessment start, a count of 1
        Assert.IsType<OudCriteriaRecorded>(facts[^1].Fact);

        var bundle = Parse(Json(FhirExport.Build(PatientId, facts, [], ExportedAt)));

        Assert.DoesNotContain(bundle.Entry, e => e.Resource is Condition);
    }

    [Fact]
    public void Each_COWS_score_has_its_total_band_and_eleven_items()
    {
        var scores = All<Observation>().Where(o => Has(o.Code, "urn:recovery:cows", "total")).ToList();

        Assert.Equal([13, 6], scores.Select(o => ((Integer)o.Value).Value));
        Assert.Equal(["moderate", "mild"], scores.Select(o => o.Interpretation.Single().Coding.Single().Code));
        Assert.All(scores, o => Assert.Equal(11, o.Component.Count));
        var intake = scores[0];
        Assert.Equal(IntakeCows.Keys.Order(), intake.Component.Select(c => c.Code.Coding.Single().Code).Order());
        Assert.Equal(IntakeCows.Values.Sum(), intake.Component.Sum(c => ((Integer)c.Value).Value));
        Assert.Equal("resting pulse rate", intake.Component[0].Code.Text);
    }

    [Fact]
    public void Lab_results_carry_LOINC_tests_and_SNOMED_results()
    {
        var labs = All<Observation>().Where(o => o.Code.Text is "hiv" or "hepatitis-b" or "hepatitis-c").ToList();

        Assert.Equal(3, labs.Count);
        Assert.All(labs, o => Assert.True(Has(o.Category.Single(), "http://terminology.hl7.org/CodeSystem/observation-category", "laboratory")));
        Assert.Equal(["31201-7", "5196-1", "16128-1"], labs.Select(o => o.Code.Coding.Single(c => c.System == Loinc).Code));
        Assert.Equal(["260385009", "260385009", "10828004"], labs.Select(o => ((CodeableConcept)o.Value).Coding.Single().Code));
        Assert.Equal("2026-03-02", ((FhirDateTime)labs[0].Effective).Value);
    }

    [Fact]
    public void Cardiovascular_status_is_heart_rate_blood_pressure_and_QTc_grouped_under_the_conclusion()
    {
        var observations = All<Observation>();
        Observation ByLoinc(string code) => observations.Single(o => Has(o.Code, Loinc, code));

        var heartRate = (Quantity)ByLoinc("8867-4").Value;
        Assert.Equal((92m, "/min", "http://unitsofmeasure.org"), (heartRate.Value, heartRate.Code, heartRate.System));
        var bloodPressure = ByLoinc("85354-9");
        Assert.Equal(128m, ((Quantity)bloodPressure.Component.Single(c => Has(c.Code, Loinc, "8480-6")).Value).Value);
        Assert.Equal(84m, ((Quantity)bloodPressure.Component.Single(c => Has(c.Code, Loinc, "8462-4")).Value).Value);
        Assert.Equal(431m, ((Quantity)ByLoinc("8636-3").Value).Value);

        var status = observations.Single(o => o.Code.Text == "cardiovascular status");
        Assert.Equal("normal", ((CodeableConcept)status.Value).Text);
        Assert.Equal(3, status.HasMember.Select(Resolve).OfType<Observation>().Count());
    }

    [Fact]
    public void A_urine_screen_is_LOINC_3879_4_with_one_component_per_substance()
    {
        var screens = All<Observation>().Where(o => Has(o.Code, Loinc, "3879-4")).ToList();

        Assert.Equal(2, screens.Count);
        var collected = screens[0];
        Assert.Equal(ObservationStatus.Final, collected.Status);
        Assert.Equal(["opiates", "fentanyl", "methadone", "cocaine", "cannabis"], collected.Component.Select(c => c.Code.Text));
        var fentanyl = collected.Component.Single(c => c.Code.Text == "fentanyl");
        Assert.True(Has((CodeableConcept)fentanyl.Value, Snomed, "10828004"));
        var cannabis = collected.Component.Single(c => c.Code.Text == "cannabis");
        Assert.Null(cannabis.Value);
        Assert.Equal("not-performed", cannabis.DataAbsentReason.Coding.Single().Code);

        var missing = screens[1];
        Assert.Equal(ObservationStatus.Cancelled, missing.Status);
        Assert.Equal("not-performed", missing.DataAbsentReason.Coding.Single().Code);
        Assert.Empty(missing.Component);
    }

    [Fact]
    public void Doses_are_administrations_in_mg_under_the_plan_and_a_missed_dose_is_not_done()
    {
        var administrations = All<MedicationAdministration>();
        var given = administrations.Where(a => a.Status == MedicationAdministration.MedicationAdministrationStatusCodes.Completed).ToList();

        Assert.Equal(2, given.Count);
        var first = given[0];
        var dose = first.Dosage.Dose;
        Assert.Equal((30m, "mg", "mg", "http://unitsofmeasure.org"), (dose.Value, dose.Unit, dose.Code, dose.System));
        Assert.True(Has((CodeableConcept)first.Medication, "http://www.nlm.nih.gov/research/umls/rxnorm", "6813"));
        Assert.Equal("rn-cy", first.Performer.Single().Actor.Display);
        Assert.Equal(new FhirDateTime(Facts()[12].Fact.OccurredAt).ToDateTimeOffset(TimeSpan.Zero),
            ((FhirDateTime)first.Effective).ToDateTimeOffset(TimeSpan.Zero));
        Assert.Contains(first.Note, n => n.Text.Contains("first dose", StringComparison.Ordinal));
        Assert.IsType<CarePlan>(Resolve(first.SupportingInformation.Single()));
        Assert.IsType<EpisodeOfCare>(Resolve(first.Context));
        Assert.Equal(45m, given[1].Dosage.Dose.Value);

        var missed = Assert.Single(administrations, a => a.Status == MedicationAdministration.MedicationAdministrationStatusCodes.NotDone);
        Assert.Equal("2026-03-05", ((FhirDateTime)missed.Effective).Value);
        Assert.Null(missed.Dosage);
    }

    [Fact]
    public void The_detox_plan_is_a_completed_care_plan_for_the_diagnosis()
    {
        var plan = Assert.Single(All<CarePlan>());

        Assert.Equal(RequestStatus.Completed, plan.Status);
        Assert.Equal("Detox with methadone", plan.Title);
        Assert.Equal("induction: 3 days at 30 mg a day; stabilisation: 14 days at 60 mg a day; taper: 14 days at 20 mg a day", plan.Description);
        Assert.Equal("2026-04-04", plan.Period.End);
        Assert.NotNull(plan.Period.Start);
        Assert.Equal([30m, 60m, 20m], plan.Activity.Select(a => a.Detail.DailyAmount.Value));
        Assert.IsType<Condition>(Resolve(plan.Addresses.Single()));
    }

    [Fact]
    public void Plan_status_follows_the_plan_from_draft_to_active()
    {
        static RequestStatus? StatusAfter(int facts) => Parse(Json(FhirExport.Build(PatientId, Facts().Take(facts).ToList(), [], ExportedAt)))
            .Entry.Select(e => e.Resource).OfType<CarePlan>().Single().Status;

        Assert.Equal(RequestStatus.Draft, StatusAfter(11));
        Assert.Equal(RequestStatus.Active, StatusAfter(12));
    }

    [Fact]
    public void Sessions_and_meetings_are_ambulatory_encounters_of_the_episode()
    {
        var encounters = All<Encounter>();

        Assert.Equal(["counseling session", "counseling session", "help group meeting"], encounters.Select(e => e.Type.Single().Text));
        Assert.Equal([Encounter.EncounterStatus.Finished, Encounter.EncounterStatus.Cancelled, Encounter.EncounterStatus.Finished],
            encounters.Select(e => e.Status));
        Assert.All(encounters, e => Assert.Equal("AMB", e.Class.Code));
        Assert.All(encounters, e => Assert.IsType<EpisodeOfCare>(Resolve(e.EpisodeOfCare.Single())));
        Assert.Equal("Counselor Dee", encounters[0].Participant.Single().Individual.Display);
        Assert.Equal(50m, encounters[0].Length.Value);
        Assert.NotNull(encounters[0].Period.End);

        var episode = Assert.Single(All<EpisodeOfCare>());
        Assert.IsType<Condition>(Resolve(episode.Diagnosis.Single().Condition));
    }

    [Fact]
    public void A_revoked_consent_is_inactive_and_a_standing_one_active()
    {
        var consents = All<Consent>();

        Assert.Equal([Consent.ConsentState.Active, Consent.ConsentState.Inactive], consents.Select(c => c.Status));
        Assert.Equal(["TREAT", "HPAYMT"], consents.Select(c => c.Provision.Purpose.Single().Code));
        Assert.Equal(["network", OtherClinic], consents.Select(c => c.Provision.Actor.Single().Reference.Identifier.Value));
        Assert.All(consents, c => Assert.True(Has(c.Scope, "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy")));
        Assert.All(consents, c => Assert.True(Has(c.Category.Single(), Loinc, "59284-0")));
        Assert.All(consents, c => Assert.IsType<Patient>(Resolve(c.Patient)));
        Assert.Null(consents[0].Provision.Period.End);
        Assert.NotNull(consents[1].Provision.Period.End);
    }

    [Fact]
    public void A_consent_past_its_expiry_is_inactive()
    {
        var expired = new SharedConsent(Guid.NewGuid(), Clinic, OtherClinic, "health-care-operations",
            Start, ExpiresAt: ExportedAt.AddSeconds(-1), RevokedAt: null);

        var consent = (Consent)FhirExport.Build(PatientId, [], [expired], ExportedAt).Entry.Single(e => e.Resource is Consent).Resource;

        Assert.Equal(Consent.ConsentState.Inactive, consent.Status);
        Assert.Equal("HOPERAT", consent.Provision.Purpose.Single().Code);
    }

    [Fact]
    public void Every_resource_and_the_bundle_are_labelled_SUD_restricted_and_name_their_clinic()
    {
        var labelled = Exported.Entry.Select(e => e.Resource.Meta).Append(Exported.Meta).ToList();

        Assert.All(labelled, meta =>
        {
            Assert.Contains(meta.Security, c => c.System == "http://terminology.hl7.org/CodeSystem/v3-ActCode" && c.Code == "SUD");
            Assert.Contains(meta.Security, c => c.System == "http://terminology.hl7.org/CodeSystem/v3-Confidentiality" && c.Code == "R");
        });
        Assert.All(Exported.Entry, e => Assert.Equal("urn:clinic:clinic-north", e.Resource.Meta.Source));
    }

    [Fact]
    public void Every_reference_resolves_to_an_entry_of_the_bundle()
    {
        var fullUrls = Exported.Entry.Select(e => e.FullUrl).ToHashSet();
        var references = new List<string>();
        Collect(JsonDocument.Parse(ExportJson()).RootElement, references);

        Assert.True(references.Count > 30, $"only {references.Count} references found");
        Assert.All(references, r => Assert.Contains(r, fullUrls));

        static void Collect(JsonElement element, List<string> into)
        {
            if (element.ValueKind == JsonValueKind.Object)
                foreach (var property in element.EnumerateObject())
                {
                    if (property is { Name: "reference", Value.ValueKind: JsonValueKind.String })
                        into.Add(property.Value.GetString()!);
                    Collect(property.Value, into);
                }
            else if (element.ValueKind == JsonValueKind.Array)
                foreach (var item in element.EnumerateArray())
                    Collect(item, into);
        }
    }

    [Fact]
    public void Exporting_twice_gives_the_same_ids_and_the_same_document()
    {
        var again = Parse(ExportJson());

        Assert.Equal(Exported.Entry.Select(e => e.FullUrl), again.Entry.Select(e => e.FullUrl));
        Assert.Equal(ExportJson(), ExportJson());
        Assert.Equal(Exported.Entry.Count, Exported.Entry.Select(e => e.FullUrl).Distinct().Count());
    }

    [Fact]
    public void No_free_text_that_could_identify_a_person_leaves_in_the_export()
    {
        var json = ExportJson();

        Assert.DoesNotContain(GroupNameText, json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Kowalski", json, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("rn-cy", json, StringComparison.Ordinal); // staff names may go
    }

    [Fact]
    public void The_parsed_bundle_is_valid_for_the_SDK_and_has_its_required_elements()
    {
        Assert.Empty(Exported.Validate(ModelInfo.ModelInspector));

        Assert.All(All<Observation>(), o =>
        {
            Assert.NotNull(o.Status);
            Assert.NotNull(o.Code);
            Assert.NotNull(o.Subject);
            Assert.NotNull(o.Effective);
            Assert.True(o.Value is null || o.DataAbsentReason is null, "obs-6: a value or a reason it is absent, not both");
        });
        Assert.All(All<Condition>(), c => Assert.NotNull(c.Subject));
        Assert.All(All<MedicationAdministration>(), a =>
        {
            Assert.NotNull(a.Status);
            Assert.NotNull(a.Medication);
            Assert.NotNull(a.Subject);
            Assert.NotNull(a.Effective);
        });
        Assert.All(All<CarePlan>(), p => Assert.NotNull(p.Intent));
        Assert.All(All<Encounter>(), e => Assert.NotNull(e.Class));
        Assert.All(All<EpisodeOfCare>(), e => Assert.NotNull(e.Patient));
        Assert.All(All<Consent>(), c => Assert.True(c.PolicyRule is not null || c.Policy.Count > 0, "ppc-1: a policy or a rule"));
    }
}

/// <summary>Who recorded each fact reaches the export as a Provenance of the resources the fact made or changed.</summary>
public sealed class FhirProvenanceTests
{
    private static readonly Recorder Nurse = new("nurse-ana@clinic-north", "clinician");

    private static Bundle ExportWith(Func<IPatientEvent, IPatientEvent> stamp) =>
        FhirExport.Build(PatientId, Facts().Select(f => f with { Fact = stamp(f.Fact) }).ToList(), Consents(), ExportedAt);

    [Fact]
    public void A_recorded_fact_names_its_recorder_as_the_enterer_for_its_clinic()
    {
        var bundle = ExportWith(fact => fact is PatientEvent e ? (IPatientEvent)(e with { RecordedBy = Nurse }) : fact);
        var provenances = bundle.Entry.Select(e => e.Resource).OfType<Provenance>().ToList();
        Assert.NotEmpty(provenances);
        var dose = bundle.Entry.Select(e => e.Resource).OfType<MedicationAdministration>().First();
        var ofDose = Assert.Single(provenances, p => p.Target.Any(t => t.Reference == $"urn:uuid:{dose.Id}"));
        var agent = Assert.Single(ofDose.Agent);
        Assert.Equal(("enterer", "nurse-ana@clinic-north", "clinician", Clinic),
            (agent.Type.Coding[0].Code, agent.Who.Identifier.Value, agent.Role[0].Text, agent.OnBehalfOf.Identifier.Value));
    }

    [Fact]
    public void A_fact_the_platform_derived_has_no_provenance() =>
        Assert.Empty(ExportWith(fact => fact).Entry.Select(e => e.Resource).OfType<Provenance>());
}
