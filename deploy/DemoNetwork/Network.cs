namespace Recovery.DemoNetwork;

/// <summary>The clinics of the demo network and the staff each has.</summary>
public sealed record Clinic(string Id, string Physician, string SecondPhysician, string Counselor);

public static class Network
{
    private static readonly string[] Towns =
    [
        "porto", "lisboa", "coimbra", "braga", "faro", "aveiro", "evora", "leiria", "viseu", "setubal", "guarda", "beja", "sintra",
        "amadora", "almada", "cascais", "funchal", "tomar", "chaves", "elvas", "lagos", "nazare", "obidos", "peniche", "ovar", "tavira",
    ];

    public static IReadOnlyList<Clinic> Clinics(int count) => Towns.Take(count)
        .Select(t => new Clinic($"clinic-{t}", $"dr-{t}-1", $"dr-{t}-2", $"counselor-{t}-1"))
        .ToList();
}
