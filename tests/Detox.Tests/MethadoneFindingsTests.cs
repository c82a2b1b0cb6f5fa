using Recovery.BuildingBlocks.Domain;
using Recovery.Detox.Admission;
using Recovery.Detox.Dosing;
using Recovery.Detox.Eligibility;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

/// <summary>The intake's findings methadone's first dose must read: the QTc (Krantz et al. 2009) and the OTP admission criteria.</summary>
public class MethadoneFindingsTests
{
    private const Medication Mtd = Medication.Methadone;
    private static readonly DateTimeOffset Morning = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static Scenario<DetoxPlan> FirstDose(CompletedAssessment? assessment, bool acknowledged = false, string? reason = null,
        object[]? more = null) =>
        Scenario().Given([Drafted(Mtd), Approved, .. more ?? []])
            .When(p => Doses.Decide(p, Dose(Mtd, 30m, Morning, reason, acknowledged), Needs with { Assessment = assessment }, Sealing.Fake));

    private static AdmissionJustificationRecorded Justified => new(PlanId, PatientId, EpisodeId, AdmissionBasis.HighRiskOfRecurrenceOrOverdose,
        Sealing.Fake("two overdoses in the past year"), Approver, Now.AddDays(-2));

    [Fact]
    public void A_qtc_of_449_needs_nothing() => FirstDose(Assessment(qtcMs: 449)).Then(Given(Mtd, 30m, Morning, first: true));

    [Theory]
    [InlineData(450)]
    [InlineData(451)]
    [InlineData(500)]
    public void A_qtc_from_450_to_500_is_refused_without_an_acknowledgement(int qtc)
    {
        var error = FirstDose(Assessment(qtcMs: qtc)).ThenRejected(ErrorKind.RuleBroken, "methadone-qtc-acknowledgement-required");
        Assert.Equal((qtc, 450, 500), ((int)error.Values!["qtcMs"]!, (int)error.Values["acknowledgeFromMs"]!, (int)error.Values["refuseAboveMs"]!));
    }

    [Theory]
    [InlineData(450)]
    [InlineData(500)]
    public void A_qtc_from_450_to_500_acknowledged_is_accepted_and_the_acknowledgement_recorded(int qtc) =>
        FirstDose(Assessment(qtcMs: qtc), acknowledged: true).Then(Given(Mtd, 30m, Morning, first: true, acknowledgedQtcMs: qtc));

    [Fact]
    public void A_qtc_of_501_acknowledged_is_still_refused_without_an_override_reason()
    {
        FirstDose(Assessment(qtcMs: 501)).ThenRejected(ErrorKind.RuleBroken, "methadone-qtc-above-limit");
        var error = FirstDose(Assessment(qtcMs: 501), acknowledged: true).ThenRejected(ErrorKind.RuleBroken, "methadone-qtc-above-limit");
        Assert.Equal(["methadone-qtc-above-limit"], (IEnumerable<string>)error.Values!["exceeds"]!);
    }

    [Fact]
    public void A_reason_alone_does_not_override_a_qtc_above_500() =>
        FirstDose(Assessment(qtcMs: 501), reason: "no alternative").ThenRejected(ErrorKind.RuleBroken, "methadone-qtc-above-limit");

    [Fact]
    public void A_qtc_of_501_acknowledged_with_a_reason_is_accepted_and_the_override_recorded() =>
        FirstDose(Assessment(qtcMs: 501), acknowledged: true, reason: "buprenorphine failed twice; cardiology agrees, ECG weekly")
            .Then(Given(Mtd, 30m, Morning, first: true, "buprenorphine failed twice; cardiology agrees, ECG weekly",
                overrides: ["methadone-qtc-above-limit"], acknowledgedQtcMs: 501));

    [Fact]
    public void An_unknown_qtc_needs_the_same_override_as_one_above_500()
    {
        FirstDose(Assessment(qtcMs: null)).ThenRejected(ErrorKind.RuleBroken, "methadone-qtc-unknown");
        FirstDose(Assessment(qtcMs: null), acknowledged: true).ThenRejected(ErrorKind.RuleBroken, "methadone-qtc-unknown");
        FirstDose(Assessment(qtcMs: null), acknowledged: true, reason: "ECG on paper: QTc 430 ms")
            .Then(Given(Mtd, 30m, Morning, first: true, "ECG on paper: QTc 430 ms", overrides: ["methadone-qtc-unknown"]));
    }

    [Fact]
    public void The_qtc_is_read_on_the_first_dose_only() =>
        Scenario().Given(Drafted(Mtd), Approved, Given(Mtd, 30m, Morning, first: true, acknowledgedQtcMs: 480))
            .When(p => Doses.Decide(p, Dose(Mtd, 10m, Morning.AddHours(3)), Needs with { Assessment = Assessment(qtcMs: 480) }, Sealing.Fake))
            .Then(Given(Mtd, 10m, Morning.AddHours(3)));

    [Fact]
    public void Buprenorphine_does_not_read_the_qtc() =>
        Assert.Null(InductionRules.MethadoneQtc(DetoxPlanEvolution.Fold([Drafted(Medication.Buprenorphine), Approved]), Assessment(qtcMs: 520), Protocol));

    [Fact]
    public void A_clinic_protocol_moves_the_qtc_thresholds()
    {
        var plan = DetoxPlanEvolution.Fold([Drafted(Mtd), Approved]);
        var strict = new InductionProtocol { MethadoneQtcAcknowledgeFromMs = 440, MethadoneQtcRefuseAboveMs = 470 };
        Assert.Equal("methadone-qtc-acknowledgement-required", InductionRules.MethadoneQtc(plan, Assessment(qtcMs: 440), strict)!.Refusal.Rule);
        Assert.Equal("methadone-qtc-above-limit", InductionRules.MethadoneQtc(plan, Assessment(qtcMs: 471), strict)!.Refusal.Rule);
        Assert.Null(InductionRules.MethadoneQtc(plan, Assessment(qtcMs: 439), strict));
    }

    [Fact]
    public void Methadone_for_mild_oud_needs_a_recorded_admission_basis()
    {
        var error = FirstDose(Assessment(severity: "mild", criteria: 3)).ThenRejected(ErrorKind.RuleBroken, "methadone-admission-justification-required");
        Assert.Equal(("mild", 3), ((string)error.Values!["severity"]!, (int)error.Values["criteriaCounted"]!));
    }

    [Fact]
    public void Methadone_for_moderate_oud_needs_none() =>
        FirstDose(Assessment(severity: "moderate", criteria: 4)).Then(Given(Mtd, 30m, Morning, first: true));

    [Fact]
    public void A_recorded_basis_admits_mild_oud() =>
        FirstDose(Assessment(severity: "mild", criteria: 2), more: [Justified]).Then(Given(Mtd, 30m, Morning, first: true));

    [Fact]
    public void An_unknown_severity_needs_a_basis_too() =>
        FirstDose(Assessment() with { Severity = "" }).ThenRejected(ErrorKind.RuleBroken, "methadone-admission-justification-required");

    [Fact]
    public void Buprenorphine_for_mild_oud_needs_no_basis() =>
        Assert.Null(AdmissionRules.MethadoneAdmissionUnjustified(DetoxPlanEvolution.Fold([Drafted(Medication.Buprenorphine)]),
            Assessment(severity: "mild", criteria: 2)));

    [Fact]
    public void The_basis_is_recorded_with_its_reason_sealed_and_the_prescriber_from_the_token() =>
        Scenario().Given(Drafted(Mtd), Approved)
            .When(p => AdmissionJustifications.Decide(p, new RecordAdmissionJustification(AdmissionBasis.HighRiskOfRecurrenceOrOverdose,
                "two overdoses in the past year", Approver, Now.AddDays(-2)), Sealing.Fake))
            .Then(Justified);

    [Fact]
    public void A_basis_request_names_a_known_basis_and_a_reason()
    {
        var error = new RecordAdmissionJustificationRequest("because", " ").Validate(Now, Approver).Error!;
        Assert.Equal(["basis", "reason"], error.Errors!.Keys.Order());
        Assert.Null(new RecordAdmissionJustificationRequest("oud-in-remission", "in remission 5 months, relapse risk").Validate(Now, Approver).Error);
    }
}
