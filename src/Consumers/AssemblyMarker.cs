namespace BacBos.Consumers;
/// <summary>Marker for assembly scanning.</summary>
public sealed class AssemblyMarker;
