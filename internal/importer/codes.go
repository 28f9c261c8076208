package importer

// Codes of the errors found while reading a file (followup.ImportError.Code), with their
// parameters. Pages say them in their language from these; the messages are the English of
// the API and the command line. A cell's errors checked by the domain's rules carry the
// domain's reasons instead (followup.Reasons: required, too_long, date_format, ...).
const (
	CodeFileEmpty       = "file_empty"       // params: the columns of the kind, separated by commas
	CodeFileTooLarge    = "file_too_large"   // a file read in memory that is over the limit
	CodeTooManyRows     = "too_many_rows"    // params: the most data rows
	CodeNoRows          = "no_rows"          // params: the header's row
	CodeHeaderCells     = "header_cells"     // params: the cells of the header, the most a row may have
	CodeBeyondLimit     = "beyond_limit"     // params: the letter of the last column a file may have
	CodeCellTooLong     = "cell_too_long"    // params: the most characters of a cell
	CodeUnknownColumn   = "unknown_column"   // params: the header's text, the columns of the kind
	CodeDuplicateColumn = "duplicate_column" // params: the column, the letters of both
	CodeMissingColumn   = "missing_column"   // params: the column
	CodeRowCells        = "row_cells"        // params: the cells of the row, the columns of the file
	CodeUnnamedColumn   = "unnamed_column"   // a cell with data under no column of the header
	CodeBeyondHeader    = "beyond_header"    // params: the letter of the header's last column
	// CodeBeyondHeaderMore: params: the other cells of the row beyond the header, the letter of its last column.
	CodeBeyondHeaderMore  = "beyond_header_more"
	CodeNotUTF8File       = "not_utf8_file"      // a CSV file that is not UTF-8
	CodeCSVStrayQuote     = "csv_stray_quote"    // params: the line
	CodeCSVUnclosedQuote  = "csv_unclosed_quote" // params: the line where the cell opened
	CodeCSVQuoteEnd       = "csv_quote_end"      // params: the line
	CodeXLSOrPassword     = "xls_or_password"    // an .xls file or a password-protected workbook
	CodeXLSXUnreadable    = "xlsx_unreadable"    // a file that is not a readable workbook
	CodeXLSXRow           = "xlsx_row"           // a row of a sheet that cannot be read
	CodeXLSXNoSheet       = "xlsx_no_sheet"      // a workbook without a sheet
	CodeXLSXFirstSheet    = "xlsx_first_sheet"   // a first sheet that is not a worksheet, or missing
	CodeXLSXParts         = "xlsx_parts"         // params: the parts of the workbook
	CodeXLSXUnzipped      = "xlsx_unzipped"      // params: the most MiB unzipped
	CodeXLSXLongToken     = "xlsx_long_token"    // params: the most bytes of an XML element or text
	CodeXLSXStrings       = "xlsx_strings"       // params: the most shared strings
	CodeXLSXCells         = "xlsx_cells"         // params: the most cells of a sheet
	CodeRepeatedRow       = "repeated_row"       // params: the first row, which this one repeats
	CodeDuplicateLabel    = "duplicate_label"    // params: the label, its first row
	CodeDuplicateFollowUp = "duplicate_followup" // params: the label, the Party's code, the first row
	CodeDuplicateParty    = "duplicate_party"    // params: the code, its first row
)

// Codes lists the codes of the importer's errors, for the catalogue's tests.
var Codes = []string{CodeFileEmpty, CodeFileTooLarge, CodeTooManyRows, CodeNoRows, CodeHeaderCells, CodeBeyondLimit,
	CodeCellTooLong, CodeUnknownColumn, CodeDuplicateColumn, CodeMissingColumn, CodeRowCells, CodeUnnamedColumn,
	CodeBeyondHeader, CodeBeyondHeaderMore, CodeNotUTF8File, CodeCSVStrayQuote, CodeCSVUnclosedQuote, CodeCSVQuoteEnd, CodeXLSOrPassword,
	CodeXLSXUnreadable, CodeXLSXRow, CodeXLSXNoSheet, CodeXLSXFirstSheet, CodeXLSXParts, CodeXLSXUnzipped,
	CodeXLSXLongToken, CodeXLSXStrings, CodeXLSXCells, CodeRepeatedRow, CodeDuplicateLabel, CodeDuplicateFollowUp,
	CodeDuplicateParty}
