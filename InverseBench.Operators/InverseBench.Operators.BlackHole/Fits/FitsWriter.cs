using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using InverseBench.Operators.BlackHole.Interferometry;

namespace InverseBench.Operators.BlackHole.Fits;

/// <summary>
/// Writes the two files the reference reads from its data root, in the layout ehtim's <c>save_fits</c> /
/// <c>save_uvfits</c> produce and <see cref="ReferenceImage.ReadFits"/> / <see cref="UvfitsReader"/> (and ehtim) read back:
/// a float64 sky image (<c>gt.fits</c>) and a UVFITS random-groups observation with its <c>AIPS AN</c> table
/// (<c>obs.uvfits</c>). Use it to turn a synthetic observation into a data root for the Python reference.
/// </summary>
public static class FitsWriter
{
    /// <summary>Writes <paramref name="image"/> as a 2-D BITPIX −64 FITS image (row 0 of the file = south, as FITS and ehtim).</summary>
    public static void WriteImage(string path, ReferenceImage image, double rightAscensionHours = EhtArrays.M87RightAscensionHours,
        double declinationDegrees = EhtArrays.M87DeclinationDegrees, double frequency = EhtArrays.Frequency, int mjd = EhtArrays.Mjd)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(image);
        var header = new HeaderBuilder()
            .Logical("SIMPLE", true).Integer("BITPIX", -64).Integer("NAXIS", 2).Integer("NAXIS1", image.Width).Integer("NAXIS2", image.Height)
            .Text("CTYPE1", "RA---SIN").Text("CTYPE2", "DEC--SIN")
            .Real("CDELT1", -image.PixelSize / EhtConstants.Degree).Real("CDELT2", image.PixelSize / EhtConstants.Degree)
            .Real("OBSRA", rightAscensionHours * 180.0 / 12.0).Real("OBSDEC", declinationDegrees).Real("FREQ", frequency)
            .Real("CRPIX1", image.Width / 2.0 + 0.5).Real("CRPIX2", image.Height / 2.0 + 0.5).Real("MJD", mjd)
            .Text("BUNIT", "JY/PIXEL").Text("STOKES", "I");
        using var stream = File.Create(path);
        header.WriteTo(stream);
        var data = new byte[8L * image.Pixels.Length];
        for (int r = 0; r < image.Height; r++)
        {
            for (int c = 0; c < image.Width; c++)
            {
                double value = image.Pixels[(image.Height - 1 - r) * image.Width + c];
                BinaryPrimitives.WriteDoubleBigEndian(data.AsSpan(8 * (r * image.Width + c)), value);
            }
        }

        WritePadded(stream, data, 0);
    }

    /// <summary>
    /// Writes <paramref name="observation"/> as UVFITS: BITPIX −32 random groups with parameters <c>UU---SIN, VV---SIN,
    /// WW---SIN, BASELINE, DATE, DATE, INTTIM</c> (u, v in light-seconds, Julian date split into day and fraction), data axes
    /// (complex 3, Stokes 4 = RR, LL, RL, LR, freq 1, IF 1, RA 1, DEC 1) with RR = LL = the Stokes-I visibility and weight
    /// <c>1/(2σ²)</c> (so that ehtim's <c>½·sqrt(σ_RR² + σ_LL²)</c> returns σ), RL = LR flagged, then the <c>AIPS AN</c> table
    /// (<c>ANNAME, STABXYZ, NOSTA, SEFD</c>).
    /// </summary>
    public static void WriteUvfits(string path, EhtObservation observation)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(observation);
        string[] parameters = ["UU---SIN", "VV---SIN", "WW---SIN", "BASELINE", "DATE", "DATE", "INTTIM"];
        var header = new HeaderBuilder()
            .Logical("SIMPLE", true).Integer("BITPIX", -32).Integer("NAXIS", 7)
            .Integer("NAXIS1", 0).Integer("NAXIS2", 3).Integer("NAXIS3", 4).Integer("NAXIS4", 1).Integer("NAXIS5", 1).Integer("NAXIS6", 1).Integer("NAXIS7", 1)
            .Logical("EXTEND", true).Logical("GROUPS", true).Integer("PCOUNT", parameters.Length).Integer("GCOUNT", observation.Count)
            .Real("OBSRA", observation.RightAscensionHours * 180.0 / 12.0).Real("OBSDEC", observation.DeclinationDegrees)
            .Text("OBJECT", observation.Source).Real("MJD", observation.Mjd).Text("BUNIT", "JY")
            .Text("CTYPE2", "COMPLEX").Real("CRVAL2", 1).Text("CTYPE3", "STOKES").Real("CRVAL3", -1).Real("CDELT3", -1)
            .Text("CTYPE4", "FREQ").Real("CRVAL4", observation.Frequency).Real("CDELT4", observation.Bandwidth)
            .Text("CTYPE5", "IF").Real("CRVAL5", 1)
            .Text("CTYPE6", "RA").Real("CRVAL6", observation.RightAscensionHours * 180.0 / 12.0)
            .Text("CTYPE7", "DEC").Real("CRVAL7", observation.DeclinationDegrees);
        for (int i = 0; i < parameters.Length; i++)
            header.Text($"PTYPE{i + 1}", parameters[i]).Real($"PSCAL{i + 1}", 1).Real($"PZERO{i + 1}", 0);
        using var stream = File.Create(path);
        header.WriteTo(stream);

        int groupFloats = parameters.Length + 3 * 4;
        var data = new byte[4L * groupFloats * observation.Count];
        for (int g = 0; g < observation.Count; g++)
        {
            var r = observation.Rows[g];
            double jd = observation.Mjd + 2400000.5 + r.Time / 24.0;
            double day = Math.Floor(jd - 0.5) + 0.5;
            double weight = 1.0 / (2.0 * r.Sigma * r.Sigma);
            float[] values =
            [
                (float)(r.U / observation.Frequency), (float)(r.V / observation.Frequency), 0f,
                256 * (r.Station1 + 1) + r.Station2 + 1, (float)day, (float)(jd - day), (float)r.IntegrationTime,
                (float)r.Visibility.Real, (float)r.Visibility.Imaginary, (float)weight,
                (float)r.Visibility.Real, (float)r.Visibility.Imaginary, (float)weight,
                0f, 0f, 0f, 0f, 0f, 0f,
            ];
            for (int k = 0; k < values.Length; k++)
                BinaryPrimitives.WriteSingleBigEndian(data.AsSpan(4 * (g * groupFloats + k)), values[k]);
        }

        WritePadded(stream, data, 0);

        const int rowBytes = 8 + 24 + 4 + 8;
        var table = new HeaderBuilder()
            .Text("XTENSION", "BINTABLE").Integer("BITPIX", 8).Integer("NAXIS", 2).Integer("NAXIS1", rowBytes)
            .Integer("NAXIS2", observation.Stations.Count).Integer("PCOUNT", 0).Integer("GCOUNT", 1).Integer("TFIELDS", 4)
            .Text("TTYPE1", "ANNAME").Text("TFORM1", "8A").Text("TTYPE2", "STABXYZ").Text("TFORM2", "3D")
            .Text("TTYPE3", "NOSTA").Text("TFORM3", "1J").Text("TTYPE4", "SEFD").Text("TFORM4", "1D")
            .Text("EXTNAME", "AIPS AN").Real("FREQ", observation.Frequency);
        table.WriteTo(stream);
        var rows = new byte[rowBytes * observation.Stations.Count];
        for (int i = 0; i < observation.Stations.Count; i++)
        {
            var s = observation.Stations[i];
            var span = rows.AsSpan(i * rowBytes, rowBytes);
            var name = Encoding.ASCII.GetBytes(s.Site.PadRight(8)[..8]);
            name.CopyTo(span);
            BinaryPrimitives.WriteDoubleBigEndian(span[8..], s.X);
            BinaryPrimitives.WriteDoubleBigEndian(span[16..], s.Y);
            BinaryPrimitives.WriteDoubleBigEndian(span[24..], s.Z);
            BinaryPrimitives.WriteInt32BigEndian(span[32..], i + 1);
            BinaryPrimitives.WriteDoubleBigEndian(span[36..], s.SefdR);
        }

        WritePadded(stream, rows, 0);
    }

    private static void WritePadded(Stream stream, byte[] bytes, byte padding)
    {
        stream.Write(bytes);
        int rest = (int)((FitsFile.BlockSize - bytes.Length % FitsFile.BlockSize) % FitsFile.BlockSize);
        if (rest > 0) stream.Write(Enumerable.Repeat(padding, rest).ToArray());
    }

    private sealed class HeaderBuilder
    {
        private readonly StringBuilder _cards = new();

        public HeaderBuilder Logical(string key, bool value) => Card(key, (value ? "T" : "F").PadLeft(20));

        public HeaderBuilder Integer(string key, long value) => Card(key, value.ToString(CultureInfo.InvariantCulture).PadLeft(20));

        public HeaderBuilder Real(string key, double value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            if (!text.Contains('.') && !text.Contains('E')) text += ".0";
            return Card(key, text.PadLeft(20));
        }

        public HeaderBuilder Text(string key, string value) =>
            Card(key, ("'" + value.Replace("'", "''").PadRight(8) + "'").PadRight(20));

        public void WriteTo(Stream stream)
        {
            var text = _cards.ToString() + "END".PadRight(80);
            var bytes = Encoding.ASCII.GetBytes(text);
            WritePadded(stream, bytes, (byte)' ');
        }

        private HeaderBuilder Card(string key, string value)
        {
            string card = (key.PadRight(8) + "= " + value).PadRight(80);
            if (card.Length > 80) throw new ArgumentException($"FITS card for {key} is longer than 80 characters.", nameof(value));
            _cards.Append(card);
            return this;
        }
    }
}
