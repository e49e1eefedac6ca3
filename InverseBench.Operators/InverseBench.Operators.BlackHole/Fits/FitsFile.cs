using System.Buffers.Binary;
using System.Text;

namespace InverseBench.Operators.BlackHole.Fits;

/// <summary>One header-data unit: its header and where its data lie in the file.</summary>
/// <param name="Index">Position in the file (0 = primary).</param>
/// <param name="Header">The header.</param>
/// <param name="DataOffset">Byte offset of the data block.</param>
/// <param name="DataLength">Length of the data in bytes (without the padding to 2880).</param>
public sealed record FitsHdu(int Index, FitsHeader Header, long DataOffset, long DataLength)
{
    /// <summary>The extension type (<c>XTENSION</c>, e.g. <c>BINTABLE</c>); null for the primary HDU.</summary>
    public string? Extension => Header.GetString("XTENSION");

    /// <summary>The extension name (<c>EXTNAME</c>, e.g. <c>AIPS AN</c>), null when absent.</summary>
    public string? Name => Header.GetString("EXTNAME");
}

/// <summary>Primary-array image data: axis lengths (FITS order, <c>NAXIS1</c> fastest) and values after BSCALE/BZERO.</summary>
/// <param name="Axes">The lengths <c>NAXIS1..NAXISn</c>.</param>
/// <param name="Values">The values in file order (NAXIS1 varies fastest).</param>
public sealed record FitsImageData(long[] Axes, double[] Values);

/// <summary>
/// Random-groups data (FITS standard §6, the UVFITS layout): per group <c>PCOUNT</c> parameters and one array of
/// <c>NAXIS2·…·NAXISn</c> values. Values are converted to double exactly (float32 data stays float32-valued).
/// </summary>
/// <param name="ParameterNames">The <c>PTYPEi</c> names in order (duplicates kept, e.g. two <c>DATE</c>).</param>
/// <param name="ParameterScale">The <c>PSCALi</c> (1 when absent).</param>
/// <param name="ParameterZero">The <c>PZEROi</c> (0 when absent).</param>
/// <param name="Parameters">Raw (unscaled) parameters <c>[GCOUNT, PCOUNT]</c>, row-major.</param>
/// <param name="ArrayAxes">The lengths <c>NAXIS2..NAXISn</c> of each group's array.</param>
/// <param name="Data">Raw group arrays <c>[GCOUNT, Π ArrayAxes]</c>, row-major, NAXIS2 varying fastest within a group.</param>
/// <param name="GroupCount">Number of groups (<c>GCOUNT</c>).</param>
/// <param name="Bitpix">The element type (<c>BITPIX</c>).</param>
public sealed record FitsRandomGroups(string[] ParameterNames, double[] ParameterScale, double[] ParameterZero, double[] Parameters,
    long[] ArrayAxes, double[] Data, long GroupCount, int Bitpix)
{
    /// <summary>Number of parameters per group (<c>PCOUNT</c>).</summary>
    public int ParameterCount => ParameterNames.Length;

    /// <summary>Number of array values per group.</summary>
    public long ArrayLength => ArrayAxes.Aggregate(1L, (a, b) => a * b);

    /// <summary>Index of the <paramref name="occurrence"/>-th parameter called <paramref name="name"/>, or −1.</summary>
    public int IndexOf(string name, int occurrence = 0)
    {
        for (int i = 0, seen = 0; i < ParameterNames.Length; i++)
        {
            if (ParameterNames[i] != name) continue;
            if (seen++ == occurrence) return i;
        }

        return -1;
    }

    /// <summary>Raw value of parameter <paramref name="index"/> of group <paramref name="group"/>.</summary>
    public double Raw(long group, int index) => Parameters[group * ParameterCount + index];
}

/// <summary>A binary-table column (FITS §7.3): name, repeat count, type code (<c>A, L, B, I, J, K, E, D, C, M</c>).</summary>
/// <param name="Name">The <c>TTYPEn</c> name.</param>
/// <param name="Repeat">The repeat count of <c>TFORMn</c>.</param>
/// <param name="Type">The type code of <c>TFORMn</c>.</param>
/// <param name="Offset">Byte offset within a row.</param>
public sealed record FitsColumn(string Name, int Repeat, char Type, int Offset)
{
    /// <summary>Width of one element in bytes.</summary>
    public int ElementBytes => Type switch
    {
        'A' or 'L' or 'B' => 1,
        'I' => 2,
        'J' or 'E' => 4,
        'K' or 'D' or 'C' => 8,
        'M' => 16,
        _ => 0,
    };
}

/// <summary>A binary table: columns and raw rows; typed accessors decode big-endian values.</summary>
public sealed class FitsBinaryTable
{
    private readonly byte[] _rows;
    private readonly int _rowBytes;
    private readonly string _file;

    internal FitsBinaryTable(string file, string? name, IReadOnlyList<FitsColumn> columns, byte[] rows, int rowBytes, int rowCount)
    {
        _file = file;
        Name = name;
        Columns = columns;
        _rows = rows;
        _rowBytes = rowBytes;
        RowCount = rowCount;
    }

    /// <summary>The extension name.</summary>
    public string? Name { get; }

    /// <summary>The columns.</summary>
    public IReadOnlyList<FitsColumn> Columns { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Whether a column exists (names compared after trimming, case-sensitive as written by AIPS/ehtim).</summary>
    public bool HasColumn(string name) => Columns.Any(c => c.Name == name);

    /// <summary>A column, or an exception naming the table and the expected column.</summary>
    public FitsColumn Column(string name) =>
        Columns.FirstOrDefault(c => c.Name == name)
        ?? throw new FitsFormatException(_file, $"table '{Name}' has no column '{name}' (columns: {string.Join(", ", Columns.Select(c => c.Name))}).");

    /// <summary>A character column (<c>A</c>) of row <paramref name="row"/>, trailing blanks and NULs removed.</summary>
    public string GetString(int row, string column)
    {
        var c = Column(column);
        if (c.Type != 'A') throw new FitsFormatException(_file, $"column '{column}' of table '{Name}' has type {c.Type}; expected A (characters).");
        return Encoding.ASCII.GetString(_rows, row * _rowBytes + c.Offset, c.Repeat).TrimEnd(' ', '\0');
    }

    /// <summary>Element <paramref name="element"/> of a numeric column of row <paramref name="row"/>, as double.</summary>
    public double GetDouble(int row, string column, int element = 0)
    {
        var c = Column(column);
        if (element < 0 || element >= c.Repeat)
            throw new FitsFormatException(_file, $"column '{column}' of table '{Name}' has {c.Repeat} element(s); element {element} requested.");
        var span = _rows.AsSpan(row * _rowBytes + c.Offset + element * c.ElementBytes, c.ElementBytes);
        return c.Type switch
        {
            'B' => span[0],
            'I' => BinaryPrimitives.ReadInt16BigEndian(span),
            'J' => BinaryPrimitives.ReadInt32BigEndian(span),
            'K' => BinaryPrimitives.ReadInt64BigEndian(span),
            'E' => BinaryPrimitives.ReadSingleBigEndian(span),
            'D' => BinaryPrimitives.ReadDoubleBigEndian(span),
            _ => throw new FitsFormatException(_file, $"column '{column}' of table '{Name}' has type {c.Type}; expected a real numeric type (B, I, J, K, E or D)."),
        };
    }
}

/// <summary>
/// A minimal FITS reader (FITS standard 4.0): header cards of every HDU, primary images (BITPIX 8, 16, 32, 64, −32, −64),
/// random groups (UVFITS) and binary tables. It reads exactly what black-hole imaging needs (ehtim's <c>load_fits</c> and
/// <c>load_uvfits</c> inputs); anything else (compressed HDUs, variable-length arrays, ASCII tables' data) raises a
/// <see cref="FitsFormatException"/> naming the file and what was expected.
/// </summary>
public sealed class FitsFile
{
    /// <summary>The FITS block size in bytes.</summary>
    public const int BlockSize = 2880;

    private const int CardSize = 80;
    private readonly byte[] _bytes;

    private FitsFile(string name, byte[] bytes, IReadOnlyList<FitsHdu> hdus)
    {
        Name = name;
        _bytes = bytes;
        Hdus = hdus;
    }

    /// <summary>The file name (for messages).</summary>
    public string Name { get; }

    /// <summary>The HDUs in file order.</summary>
    public IReadOnlyList<FitsHdu> Hdus { get; }

    /// <summary>The primary HDU.</summary>
    public FitsHdu Primary => Hdus[0];

    /// <summary>Reads and indexes a FITS file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FitsFormatException">The file is not FITS, is truncated, or a header is malformed.</exception>
    public static FitsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"FITS file not found: {path}", path);
        return Parse(path, System.IO.File.ReadAllBytes(path));
    }

    /// <summary>Indexes FITS bytes; <paramref name="name"/> is used in messages.</summary>
    public static FitsFile Parse(string name, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < BlockSize || Encoding.ASCII.GetString(bytes, 0, 6) != "SIMPLE")
            throw new FitsFormatException(name, $"not a FITS file: expected a 2880-byte header starting with 'SIMPLE' (file has {bytes.Length} bytes).");
        var hdus = new List<FitsHdu>();
        long offset = 0;
        while (offset < bytes.Length)
        {
            if (hdus.Count > 0 && IsBlank(bytes, offset)) break;
            var (header, dataOffset) = ReadHeader(name, bytes, offset);
            long dataLength = DataLength(header);
            long padded = (dataLength + BlockSize - 1) / BlockSize * BlockSize;
            if (dataOffset + dataLength > bytes.Length)
            {
                throw new FitsFormatException(name,
                    $"truncated: HDU {hdus.Count} needs {dataLength} data bytes from byte {dataOffset}, but the file ends at byte {bytes.Length}.");
            }

            hdus.Add(new FitsHdu(hdus.Count, header, dataOffset, dataLength));
            offset = dataOffset + padded;
        }

        return new FitsFile(name, bytes, hdus);
    }

    /// <summary>The extension with <c>EXTNAME</c> <paramref name="name"/>, or null.</summary>
    public FitsHdu? Find(string name) => Hdus.FirstOrDefault(h => h.Name == name);

    /// <summary>Reads a primary image (not random groups), applying <c>BSCALE</c>/<c>BZERO</c>.</summary>
    public FitsImageData ReadImage(FitsHdu hdu)
    {
        ArgumentNullException.ThrowIfNull(hdu);
        var h = hdu.Header;
        if (h.GetBool("GROUPS")) throw new FitsFormatException(Name, "the HDU holds random groups, not an image.");
        int bitpix = Bitpix(h);
        int naxis = (int)h.GetLong("NAXIS");
        if (naxis < 1) throw new FitsFormatException(Name, $"HDU {hdu.Index} has NAXIS = {naxis}; expected an image (NAXIS ≥ 1).");
        var axes = Enumerable.Range(1, naxis).Select(i => h.GetLong($"NAXIS{i}")).ToArray();
        long count = axes.Aggregate(1L, (a, b) => a * b);
        var values = ReadValues(hdu.DataOffset, count, bitpix);
        double scale = h.GetDouble("BSCALE", 1.0), zero = h.GetDouble("BZERO", 0.0);
        if (scale != 1.0 || zero != 0.0)
        {
            for (int i = 0; i < values.Length; i++) values[i] = values[i] * scale + zero;
        }

        return new FitsImageData(axes, values);
    }

    /// <summary>Reads the random groups of the primary HDU (UVFITS visibilities).</summary>
    public FitsRandomGroups ReadRandomGroups()
    {
        var h = Primary.Header;
        if (!h.GetBool("GROUPS") || h.GetLong("NAXIS1") != 0)
            throw new FitsFormatException(Name, "the primary HDU does not hold random groups (expected GROUPS = T and NAXIS1 = 0, the UVFITS layout).");
        int bitpix = Bitpix(h);
        int naxis = (int)h.GetLong("NAXIS");
        var axes = Enumerable.Range(2, naxis - 1).Select(i => h.GetLong($"NAXIS{i}")).ToArray();
        int pcount = (int)h.GetLong("PCOUNT");
        long gcount = h.GetLong("GCOUNT");
        var names = new string[pcount];
        var scale = new double[pcount];
        var zero = new double[pcount];
        for (int i = 0; i < pcount; i++)
        {
            names[i] = h.GetString($"PTYPE{i + 1}") ?? throw new FitsFormatException(Name, $"random-groups parameter {i + 1} has no PTYPE{i + 1}.");
            scale[i] = h.GetDouble($"PSCAL{i + 1}", 1.0);
            zero[i] = h.GetDouble($"PZERO{i + 1}", 0.0);
        }

        long arrayLength = axes.Aggregate(1L, (a, b) => a * b);
        var raw = ReadValues(Primary.DataOffset, gcount * (pcount + arrayLength), bitpix);
        var parameters = new double[gcount * pcount];
        var data = new double[gcount * arrayLength];
        for (long g = 0; g < gcount; g++)
        {
            long src = g * (pcount + arrayLength);
            Array.Copy(raw, src, parameters, g * pcount, pcount);
            Array.Copy(raw, src + pcount, data, g * arrayLength, arrayLength);
        }

        return new FitsRandomGroups(names, scale, zero, parameters, axes, data, gcount, bitpix);
    }

    /// <summary>Reads a binary-table extension.</summary>
    public FitsBinaryTable ReadBinaryTable(FitsHdu hdu)
    {
        ArgumentNullException.ThrowIfNull(hdu);
        var h = hdu.Header;
        if (hdu.Extension != "BINTABLE")
            throw new FitsFormatException(Name, $"HDU {hdu.Index} ('{hdu.Name}') is {hdu.Extension ?? "the primary HDU"}; expected a BINTABLE extension.");
        int rowBytes = (int)h.GetLong("NAXIS1");
        int rows = (int)h.GetLong("NAXIS2");
        int fields = (int)h.GetLong("TFIELDS");
        var columns = new List<FitsColumn>(fields);
        int offset = 0;
        for (int i = 1; i <= fields; i++)
        {
            string form = h.GetString($"TFORM{i}") ?? throw new FitsFormatException(Name, $"table '{hdu.Name}' lacks TFORM{i}.");
            string name = h.GetString($"TTYPE{i}") ?? $"COL{i}";
            int k = 0;
            while (k < form.Length && char.IsDigit(form[k])) k++;
            int repeat = k == 0 ? 1 : int.Parse(form[..k], System.Globalization.CultureInfo.InvariantCulture);
            if (k >= form.Length) throw new FitsFormatException(Name, $"table '{hdu.Name}' column {i} has TFORM '{form}' without a type code.");
            var column = new FitsColumn(name, repeat, form[k], offset);
            if (column.ElementBytes == 0)
                throw new FitsFormatException(Name, $"table '{hdu.Name}' column '{name}' has unsupported TFORM '{form}' (supported: A, L, B, I, J, K, E, D, C, M).");
            columns.Add(column);
            offset += repeat * column.ElementBytes;
        }

        if (offset != rowBytes)
            throw new FitsFormatException(Name, $"table '{hdu.Name}' columns add up to {offset} bytes per row, but NAXIS1 = {rowBytes}.");
        var data = new byte[(long)rows * rowBytes];
        Array.Copy(_bytes, hdu.DataOffset, data, 0, data.Length);
        return new FitsBinaryTable(Name, hdu.Name, columns, data, rowBytes, rows);
    }

    private double[] ReadValues(long offset, long count, int bitpix)
    {
        int width = Math.Abs(bitpix) / 8;
        if (offset + count * width > _bytes.Length)
            throw new FitsFormatException(Name, $"truncated: {count} values of BITPIX {bitpix} from byte {offset} do not fit in {_bytes.Length} bytes.");
        var values = new double[count];
        var span = _bytes.AsSpan();
        for (long i = 0; i < count; i++)
        {
            var s = span.Slice((int)(offset + i * width), width);
            values[i] = bitpix switch
            {
                8 => s[0],
                16 => BinaryPrimitives.ReadInt16BigEndian(s),
                32 => BinaryPrimitives.ReadInt32BigEndian(s),
                64 => BinaryPrimitives.ReadInt64BigEndian(s),
                -32 => BinaryPrimitives.ReadSingleBigEndian(s),
                _ => BinaryPrimitives.ReadDoubleBigEndian(s),
            };
        }

        return values;
    }

    private int Bitpix(FitsHeader header)
    {
        long bitpix = header.GetLong("BITPIX");
        if (bitpix is not (8 or 16 or 32 or 64 or -32 or -64))
            throw new FitsFormatException(Name, $"unsupported BITPIX = {bitpix}; expected one of 8, 16, 32, 64, -32, -64.");
        return (int)bitpix;
    }

    private static bool IsBlank(byte[] bytes, long offset)
    {
        for (long i = offset; i < Math.Min(bytes.Length, offset + BlockSize); i++)
        {
            if (bytes[i] != 0 && bytes[i] != (byte)' ') return false;
        }

        return true;
    }

    private static (FitsHeader Header, long DataOffset) ReadHeader(string name, byte[] bytes, long offset)
    {
        var cards = new List<FitsCard>();
        long position = offset;
        while (true)
        {
            if (position + CardSize > bytes.Length)
                throw new FitsFormatException(name, $"truncated: the header starting at byte {offset} has no END card before the end of the file ({bytes.Length} bytes).");
            string card = Encoding.ASCII.GetString(bytes, (int)position, CardSize);
            position += CardSize;
            if (card.StartsWith("END     ", StringComparison.Ordinal) || card.TrimEnd() == "END") break;
            if (card.Trim().Length == 0) continue;
            cards.Add(FitsHeader.ParseCard(name, card, position - CardSize));
        }

        long dataOffset = (position - offset + BlockSize - 1) / BlockSize * BlockSize + offset;
        var header = new FitsHeader(name, cards);
        if (cards.Count == 0 || (cards[0].Keyword != "SIMPLE" && cards[0].Keyword != "XTENSION"))
            throw new FitsFormatException(name, $"the header at byte {offset} does not start with SIMPLE or XTENSION.");
        return (header, dataOffset);
    }

    private static long DataLength(FitsHeader h)
    {
        long bitpix = h.GetLong("BITPIX");
        if (bitpix is not (8 or 16 or 32 or 64 or -32 or -64))
            throw new FitsFormatException(h.File, $"unsupported BITPIX = {bitpix}; expected one of 8, 16, 32, 64, -32, -64.");
        long naxis = h.GetLong("NAXIS");
        if (naxis == 0) return 0;
        bool groups = h.GetBool("GROUPS") && h.GetLong("NAXIS1") == 0;
        long count = 1;
        for (long i = groups ? 2 : 1; i <= naxis; i++) count *= h.GetLong($"NAXIS{i}");
        long pcount = h.GetLong("PCOUNT", 0), gcount = h.GetLong("GCOUNT", 1);
        return Math.Abs(bitpix) / 8 * gcount * (pcount + count);
    }
}
