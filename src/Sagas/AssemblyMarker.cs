namespace BacBos.Sagas;
/// <summary>Marker for assembly scanning.</summary>
public sealed class AssemblyMarker;
