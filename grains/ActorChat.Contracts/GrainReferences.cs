namespace ActorChat.Contracts;

/// <summary>
/// Grain references by key, built without Orleans' lookup of the interface on every call.
/// </summary>
/// <remarks>
/// <c>IGrainFactory.GetGrain&lt;T&gt;(key)</c> works out the interface's grain interface type anew on each call (its
/// attributes by reflection, else its formatted type name), and a connect makes four such calls before the socket
/// is up. The first reference of each interface records the grain type and interface type Orleans resolved; both
/// follow from the interface and its one implementation, so every later reference is built from them directly.
/// That holds while each interface here has exactly one grain class (no <c>[GrainType]</c> renames, no second
/// implementation chosen by class prefix): a change to that must resolve the grain type per call again.
/// </remarks>
public static class GrainReferences
{
    public static IUserGrain User(this IGrainFactory grains, string user) => Grain<IUserGrain>(grains, user);

    public static IRoomGrain Room(this IGrainFactory grains, string room) => Grain<IRoomGrain>(grains, room);

    /// <summary>The grain <typeparamref name="T"/> with string key <paramref name="key"/>.</summary>
    public static T Grain<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey =>
        Resolved<T>.Types is { } types
            ? (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface)
            : Resolved<T>.Record(grains.GetGrain<T>(key));

    /// <summary>The grain <typeparamref name="T"/> with integer key <paramref name="key"/>.</summary>
    public static T Grain<T>(this IGrainFactory grains, long key) where T : IGrainWithIntegerKey =>
        Resolved<T>.Types is { } types
            ? (T)grains.GetGrain(GrainId.Create(types.Grain, GrainIdKeyExtensions.CreateIntegerKey(key)), types.Interface)
            : Resolved<T>.Record(grains.GetGrain<T>(key));

    private static class Resolved<T> where T : IAddressable
    {
        // Written once by whichever call comes first (a race writes an equal pair twice); one reference, so a reader
        // never sees half of it.
        public static ResolvedTypes? Types;

        public static T Record(T reference)
        {
            if (reference is GrainReference resolved)
            {
                Types = new ResolvedTypes(resolved.GrainId.Type, resolved.InterfaceType);
            }

            return reference;
        }
    }

    private sealed record ResolvedTypes(GrainType Grain, GrainInterfaceType Interface);
}
