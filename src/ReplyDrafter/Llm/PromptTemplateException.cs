namespace ReplyDrafter.Llm;

/// <summary>A prompt template that cannot be used: malformed, or not given what it needs. The message names the file.</summary>
public sealed class PromptTemplateException : Exception
{
    public PromptTemplateException() : base("The prompt template cannot be used.") { }

    public PromptTemplateException(string message) : base(message) { }

    public PromptTemplateException(string message, Exception inner) : base(message, inner) { }
}
