using Recovery.BuildingBlocks.Privacy;

namespace Recovery.Testing;

/// <summary>
/// A stand-in for a patient's key in decision tests: the text is marked as sealed, not encrypted, so a scenario can say
/// which text went where. The cryptography has tests of its own.
/// </summary>
public static class Sealing
{
    public static Sealed Fake(string plaintext) => new("sealed:" + plaintext);
}
