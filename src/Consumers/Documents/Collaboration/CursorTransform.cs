namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// Moves cursor and selection positions through an edit, so positions sent against one revision stay on the same
/// characters at the next. Rules, for a position p and an operation based on the text p refers to:
/// <list type="bullet">
/// <item>text inserted before p moves p right by its length; text deleted before p moves it left;</item>
/// <item>a position inside a deleted range moves to where the range was;</item>
/// <item>text inserted exactly at a cursor moves the cursor after it when the edit is the cursor owner's own (it is
/// typing), and leaves it before otherwise (a collaborator typing at the same place does not push it);</item>
/// <item>a non-empty selection never grows by text inserted at its edges: its start moves after such text and its
/// end stays before it.</item>
/// </list>
/// </summary>
public static class CursorTransform
{
    public static int Transform(int position, TextOperation operation, bool isOwnOperation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        CheckPosition(position, operation);
        return Move(position, operation, isOwnOperation);
    }

    public static Selection Transform(Selection selection, TextOperation operation, bool isOwnOperation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        CheckPosition(selection.Anchor, operation);
        CheckPosition(selection.Head, operation);
        if (selection.IsCursor)
        {
            return Selection.Cursor(Move(selection.Head, operation, isOwnOperation));
        }

        var start = Move(selection.Start, operation, moveAfterInsert: true);
        var end = Math.Max(start, Move(selection.End, operation, moveAfterInsert: false));
        return selection.Anchor <= selection.Head ? new Selection(start, end) : new Selection(end, start);
    }

    private static int Move(int position, TextOperation operation, bool moveAfterInsert)
    {
        var index = 0;
        var moved = position;
        foreach (var component in operation.Components)
        {
            if (index > position)
            {
                break;
            }

            switch (component.Kind)
            {
                case TextComponentKind.Retain:
                    index += component.Length;
                    break;
                case TextComponentKind.Insert:
                    if (index < position || moveAfterInsert)
                    {
                        moved += component.Length;
                    }

                    break;
                default:
                    moved -= Math.Min(component.Length, position - index);
                    index += component.Length;
                    break;
            }
        }

        return moved;
    }

    private static void CheckPosition(int position, TextOperation operation)
    {
        if (position < 0 || position > operation.BaseLength)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"position {position} is outside the text, which has {operation.BaseLength} code points");
        }
    }
}
