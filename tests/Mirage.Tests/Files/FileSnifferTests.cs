using System.Text;
using Mirage.Files;

namespace Mirage.Tests.Files;

/// <summary>The pure rules behind served files: type sniffing and display names.</summary>
public sealed class FileSnifferTests
{
    [Fact]
    public void Text_whose_sniffed_head_ends_inside_a_character_is_still_text()
    {
        var text = Encoding.UTF8.GetBytes(new string('é', FileSniffer.HeadLength)); // two bytes each
        var head = text.AsSpan(0, FileSniffer.HeadLength - 1);

        Assert.Equal(FileSniffer.Text, FileSniffer.Detect(head, isWholeFile: false));
        Assert.Equal(FileSniffer.Binary, FileSniffer.Detect(head, isWholeFile: true));
    }

    [Theory]
    [InlineData("")]
    [InlineData("text with a NUL \0 inside")]
    [InlineData("\u0001\u0002\u0003")]
    public void Empty_files_and_control_characters_are_binary(string content) =>
        Assert.Equal(FileSniffer.Binary, FileSniffer.Detect(Encoding.UTF8.GetBytes(content), isWholeFile: true));

    [Fact]
    public void Invalid_utf8_is_binary() =>
        Assert.Equal(FileSniffer.Binary, FileSniffer.Detect([0x61, 0xC3, 0x28, 0x62], isWholeFile: true));

    [Theory]
    [InlineData("M4A ", "audio/mp4")]
    [InlineData("qt  ", "video/quicktime")]
    [InlineData("avif", "image/avif")]
    [InlineData("heic", "application/octet-stream")]
    [InlineData("isom", "video/mp4")]
    public void Mp4_family_files_are_told_apart_by_brand(string brand, string contentType)
    {
        var head = new byte[] { 0, 0, 0, 0x18 }.Concat("ftyp"u8.ToArray()).Concat(Encoding.ASCII.GetBytes(brand)).ToArray();
        Assert.Equal(contentType, FileSniffer.Detect(head, isWholeFile: false).ContentType);
    }

    [Theory]
    [InlineData("RIFF\0\0\0\0WEBPVP8 ", "image/webp")]
    [InlineData("RIFF\0\0\0\0WAVEfmt ", "audio/wav")]
    [InlineData("RIFF\0\0\0\0AVI LIST", "application/octet-stream")]
    public void Riff_files_are_told_apart_by_format(string head, string contentType) =>
        Assert.Equal(contentType, FileSniffer.Detect(Encoding.ASCII.GetBytes(head), isWholeFile: false).ContentType);

    [Fact]
    public void Long_names_keep_their_extension()
    {
        var name = FileNames.Sanitize(new string('a', 300) + ".tar.gz");

        Assert.Equal(FileNames.MaxLength, name.Length);
        Assert.EndsWith("a.gz", name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("line\nbreak.txt", "line_break.txt")]
    [InlineData("say \"hi\".txt", "say _hi_.txt")]
    [InlineData("   ", "file")]
    [InlineData(null, "file")]
    public void Names_lose_control_characters_and_quotes(string? sent, string kept) =>
        Assert.Equal(kept, FileNames.Sanitize(sent));
}
