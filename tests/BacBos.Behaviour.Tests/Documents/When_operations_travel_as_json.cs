using BacBos.Consumers.Documents.Collaboration;

namespace BacBos.Behaviour.Tests.Documents;

/// <summary>
/// The compact JSON form of operations (wire protocol and persisted operation log): retain as a positive integer,
/// insert as a string, delete as a negative integer; it reads back to the same operation and refuses anything else.
/// </summary>
public class When_operations_travel_as_json
{
    [Fact]
    public void Should_read_back_the_operation_it_wrote()
    {
        var operation = TextOperation.FromEdits(12, [new TextEdit(2, 3, "😀 ok"), TextEdit.DeleteAt(9, 1)]);

        var json = OperationJson.Serialize(operation);

        Assert.Equal("""[2,"\uD83D\uDE00 ok",-3,3,-1,3]""", json);
        Assert.Equal(operation, OperationJson.Parse(json));
        Assert.Equal(12, OperationJson.Parse(json).BaseLength);
    }

    [Theory]
    [InlineData("{}", "JSON array")]
    [InlineData("[0]", "operation item 0")]
    [InlineData("[1.5]", "operation item 0")]
    [InlineData("[3, true]", "operation item 1")]
    [InlineData("[3, null]", "operation item 1")]
    [InlineData("[-2147483648]", "operation item 0")]
    public void Should_refuse_anything_but_retain_insert_and_delete_items(string json, string mentioned)
    {
        var error = Assert.Throws<CollaborationException>(() => OperationJson.Parse(json));

        Assert.Equal(CollaborationError.MalformedOperation, error.Error);
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_apply_like_the_edits_it_came_from()
    {
        var operation = OperationJson.Parse("""[5,"abc",-3,2]""");

        Assert.Equal("helloabc12", operation.ApplyTo("hello   12"));
    }
}
