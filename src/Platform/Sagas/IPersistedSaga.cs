using MassTransit;

namespace BacBos.Platform.Sagas;

/// <summary>A saga instance stored by <see cref="SqlSagaRepositoryContextFactory{TSaga}"/>: a JSON document plus a state column.</summary>
public interface IPersistedSaga : SagaStateMachineInstance, ISagaVersion
{
    string CurrentState { get; set; }
}
