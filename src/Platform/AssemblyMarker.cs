namespace BacBos.Platform;
/// <summary>Marker for assembly scanning.</summary>
public sealed class AssemblyMarker;
