using System.Text.Json;
using Recovery.BuildingBlocks.Corrections;
using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;
using Recovery.Detox.Corrections;
using Recovery.Detox.Dosing;
using Recovery.Detox.Plans;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

/// <summary>A fact entered in error or amended: the plan's rules read the corrected record from then on.</summary>
public class CorrectionTests
{
    private static readonly Correction EnteredInError = new(false, "entered on the wrong patient's chart", default);

    private static Correction Amendment(object values) => new(true, "wrong amount typed", JsonSerializer.SerializeToElement(values));

    // Stream positions: 1 drafted, 2 approved, 3 the first dose, 4 the second.
    private static readonly object[] TwoMethadoneDoses =
    [
        Drafted(Medication.Methadone), Approved, Given(Medication.Methadone, 30m, Now, first: true), Given(Medication.Methadone, 10m, Now.AddHours(1)),
    ];

    private static FactRef Fact(long version) => new(Guid.NewGuid(), version, TwoMethadoneDoses[version - 1], "dose-given");

    [Fact]
    public void A_dose_entered_in_error_no_longer_counts_towards_the_day_one_cap()
    {
        // 30 + 10 reach the 40 mg day-one cap: 10 more is refused, until the 10 mg dose is entered in error (30 + 10 = 40 again).
        Scenario().Given(TwoMethadoneDoses)
            .When(p => Doses.Decide(p, Dose(Medication.Methadone, 10m, Now.AddHours(2)), Needs, Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "methadone-day-one-cap");
        var corrected = PlanCorrections.Decide(DetoxPlanEvolution.Fold(TwoMethadoneDoses), Fact(4), EnteredInError, Protocol, Sealing.Fake);
        Assert.Null(corrected.Error);
        Scenario().Given([.. TwoMethadoneDoses, .. corrected.Events])
            .When(p => Doses.Decide(p, Dose(Medication.Methadone, 10m, Now.AddHours(2)), Needs, Sealing.Fake))
            .Then(Given(Medication.Methadone, 10m, Now.AddHours(2)));
    }

    [Fact]
    public void A_dose_amended_down_leaves_room_under_the_cap_and_one_amended_above_it_is_refused()
    {
        var plan = DetoxPlanEvolution.Fold(TwoMethadoneDoses);
        Assert.Equal("methadone-day-one-cap", PlanCorrections.Decide(plan, Fact(4), Amendment(new { doseMg = 11 }), Protocol, Sealing.Fake).Error?.Rule);
        var amended = PlanCorrections.Decide(plan, Fact(4), Amendment(new { doseMg = 5 }), Protocol, Sealing.Fake);
        Assert.Equal(5m, Assert.IsType<DoseAmended>(Assert.Single(amended.Events)).Replacement.DoseMg);
        Assert.Equal([30m, 5m], DetoxPlanEvolution.Fold([.. TwoMethadoneDoses, .. amended.Events]).Doses.Select(d => d.DoseMg));
    }

    [Fact]
    public void The_first_dose_stays_while_later_doses_of_its_course_stand_on_it() =>
        Assert.Equal("fact-relied-on", PlanCorrections.Decide(DetoxPlanEvolution.Fold(TwoMethadoneDoses), Fact(3), EnteredInError, Protocol,
            Sealing.Fake).Error?.Rule);

    [Fact]
    public void A_fact_is_corrected_once()
    {
        var first = PlanCorrections.Decide(DetoxPlanEvolution.Fold(TwoMethadoneDoses), Fact(4), EnteredInError, Protocol, Sealing.Fake);
        var again = PlanCorrections.Decide(DetoxPlanEvolution.Fold([.. TwoMethadoneDoses, .. first.Events]), Fact(4), EnteredInError, Protocol,
            Sealing.Fake);
        Assert.Equal((ErrorKind.Conflict, "fact-already-corrected"), (again.Error!.Kind, again.Error.Rule));
    }

    [Fact]
    public void A_cows_check_entered_in_error_no_longer_satisfies_buprenorphines_first_dose()
    {
        object[] ready = [Drafted(Medication.Buprenorphine), Approved, LastUse(OpioidKind.ShortActing, Now.AddHours(-13)), Cows(12, Now.AddMinutes(-10))];
        Scenario().Given(ready)
            .When(p => Doses.Decide(p, Dose(Medication.Buprenorphine, 4m, Now), Needs, Sealing.Fake))
            .Then(Given(Medication.Buprenorphine, 4m, Now, first: true));
        var corrected = PlanCorrections.Decide(DetoxPlanEvolution.Fold(ready), new FactRef(Guid.NewGuid(), 4, ready[3], "detox-withdrawal-checked"), EnteredInError, Protocol,
            Sealing.Fake);
        Scenario().Given([.. ready, .. corrected.Events])
            .When(p => Doses.Decide(p, Dose(Medication.Buprenorphine, 4m, Now), Needs, Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "buprenorphine-cows-required");
    }
}
