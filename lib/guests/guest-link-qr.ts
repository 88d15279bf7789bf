import QRCode from "qrcode";

/** The guest link as an SVG QR code, made on the server (no third-party service sees the link). */
export function guestLinkQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2, width: 192 });
}
