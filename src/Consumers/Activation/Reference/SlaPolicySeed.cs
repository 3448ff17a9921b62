namespace BacBos.Consumers.Activation.Reference;

/// <summary>A support SLA target for one ticket priority.</summary>
/// <param name="Priority">urgent, high, normal or low.</param>
/// <param name="FirstResponseMinutes">Target time to the first agent response.</param>
/// <param name="ResolutionMinutes">Target time to resolution.</param>
/// <param name="BusinessHoursOnly">True when the clock only runs during business hours; false for 24/7.</param>
public sealed record SlaPolicySeed(string Priority, int FirstResponseMinutes, int ResolutionMinutes, bool BusinessHoursOnly);
