/**
 * A table's rows as CSV or XLSX, made in the browser. Cells follow the server's exports
 * (`crm_shared.spreadsheets`): text starting like a formula (= + - @, tab, CR) gets a leading
 * apostrophe, plain numbers stay numbers, and characters XML cannot hold are replaced, so no
 * exported value runs or breaks the file in a spreadsheet program.
 */
import { authFetch } from '../api/client';

export type Cell = string | number | null | undefined;

export interface Sheet {
  /** The file's name without extension, and the XLSX sheet's title. */
  name: string;
  header: string[];
  rows: Cell[][];
}

const FORMULA_START = ['=', '+', '-', '@', '\t', '\r'];
const NUMBER = /^[+-]?\d+(\.\d+)?$/;
const XML_ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** A value as exported text that no spreadsheet program reads as a formula. */
export function cellText(value: Cell): string {
  const text = value === null || value === undefined ? '' : String(value);
  const bare = text.replace(/^'+/, '');
  return FORMULA_START.some((start) => bare.startsWith(start)) && !NUMBER.test(text) ? `'${text}` : text;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** UTF-8 with a BOM, so Excel reads Chinese text. */
export function csvBlob(sheet: Sheet): Blob {
  const lines = [sheet.header, ...sheet.rows].map((row) => row.map((value) => csvField(cellText(value))).join(','));
  return new Blob(['\ufeff', lines.join('\r\n'), '\r\n'], { type: 'text/csv;charset=utf-8' });
}

/** One sheet; numbers as numbers, everything else as text (never a formula). The library loads on demand. */
export async function xlsxBlob(sheet: Sheet): Promise<Blob> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const worksheet = workbook.addWorksheet(sheet.name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'export');
  for (const row of [sheet.header, ...sheet.rows]) {
    worksheet.addRow(row.map((value) => (typeof value === 'number' ? value : cellText(value).replace(XML_ILLEGAL, '\ufffd'))));
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function exportSheet(sheet: Sheet, format: 'csv' | 'xlsx'): Promise<void> {
  download(format === 'csv' ? csvBlob(sheet) : await xlsxBlob(sheet), `${sheet.name}.${format}`);
}

/** A file the API serves to signed-in users (a ticket's attachment), fetched with the user's token and saved
 * under its name; answers whether it worked. */
export async function downloadFile(url: string, filename: string): Promise<boolean> {
  const response = await authFetch(url);
  if (!response.ok) return false;
  download(await response.blob(), filename);
  return true;
}
