using Recovery.Clinical;

namespace Recovery.Clinical.Tests;

public class Dsm5Tests
{
    private static IEnumerable<OudCriterion> First(int n) => Enum.GetValues<OudCriterion>().Take(n);

    [Theory]
    [InlineData(0, OudSeverity.None, null)]
    [InlineData(1, OudSeverity.None, null)]
    [InlineData(2, OudSeverity.Mild, "F11.10")]
    [InlineData(3, OudSeverity.Mild, "F11.10")]
    [InlineData(4, OudSeverity.Moderate, "F11.20")]
    [InlineData(5, OudSeverity.Moderate, "F11.20")]
    [InlineData(6, OudSeverity.Severe, "F11.20")]
    [InlineData(11, OudSeverity.Severe, "F11.20")]
    public void Severity_follows_the_count_of_criteria(int met, OudSeverity severity, string? icd10)
    {
        var diagnosis = Dsm5.Diagnose(First(met), onlyUnderMedicalSupervision: false);
        Assert.Equal(met, diagnosis.CriteriaCounted);
        Assert.Equal(severity, diagnosis.Severity);
        Assert.Equal(icd10, diagnosis.Icd10Code);
    }

    [Fact]
    public void Tolerance_and_withdrawal_do_not_count_under_medical_supervision_only()
    {
        OudCriterion[] met = [OudCriterion.Tolerance, OudCriterion.Withdrawal, OudCriterion.Craving, OudCriterion.ActivitiesGivenUp];
        var supervised = Dsm5.Diagnose(met, onlyUnderMedicalSupervision: true);
        Assert.Equal(2, supervised.CriteriaCounted);
        Assert.Equal(OudSeverity.Mild, supervised.Severity);
        Assert.DoesNotContain(OudCriterion.Tolerance, supervised.Counted);

        var unsupervised = Dsm5.Diagnose(met, onlyUnderMedicalSupervision: false);
        Assert.Equal(4, unsupervised.CriteriaCounted);
        Assert.Equal(OudSeverity.Moderate, unsupervised.Severity);
    }

    [Fact]
    public void Supervised_use_with_only_tolerance_and_withdrawal_is_no_disorder()
    {
        var diagnosis = Dsm5.Diagnose([OudCriterion.Tolerance, OudCriterion.Withdrawal], onlyUnderMedicalSupervision: true);
        Assert.Equal(0, diagnosis.CriteriaCounted);
        Assert.Equal(OudSeverity.None, diagnosis.Severity);
    }

    [Fact]
    public void A_criterion_given_twice_counts_once()
    {
        var diagnosis = Dsm5.Diagnose([OudCriterion.Craving, OudCriterion.Craving], onlyUnderMedicalSupervision: false);
        Assert.Equal(1, diagnosis.CriteriaCounted);
    }
}
