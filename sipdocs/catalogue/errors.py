"""The messages of errors (:class:`sipdocs.SipdocsError` and its subclasses), and the phrases
they are built from (:data:`PHRASES`). A key is the error's code, or ``code#variant`` when one code has several
messages; the code is what the README documents and what ``err.code`` holds.
"""

from __future__ import annotations

from .message import Message as M

#: Parts of other messages, passed with :func:`sipdocs.catalogue.phrase`; no error has these codes.
PHRASES: dict[str, M] = {
    "kind.invitation": M("Kallelse till SIP-möte", "Invitation to a SIP meeting"),
    "kind.consent": M("Samtycke till SIP och informationsutbyte", "Consent to SIP and information exchange"),
    "kind.plan": M("Samordnad individuell plan (SIP)", "Coordinated individual plan (SIP)"),
    "kind.followup": M("Uppföljning av SIP", "SIP follow-up"),
    "kind.closure": M("Avslut av SIP", "Closure of SIP"),
    "kind.intake_note": M("Inkommande information", "Incoming information (social services note)"),
    "count.items.one": M("{count} rad", "{count} item"),
    "count.items.many": M("{count} rader", "{count} items"),
    "hint.did_you_mean": M("menade du ”{guess}”?", "did you mean '{guess}'?"),
    "hint.check_spelling": M("kontrollera stavningen", "check the spelling"),
    "where.companion_file": M("i filen {file} bredvid", "in the file {file} beside it"),
    "where.lists_sheet": M("på bladet Listor", "on the sheet Listor"),
    "word.or": M("eller", "or"),
    "word.none": M("(ingen)", "(none)"),
    "word.none_neuter": M("(inget)", "(none)"),
    "word.the_input": M("Indata", "The input"),
    "word.the_input_file": M("Indatafilen", "The input file"),
    "word.the_text": M("Texten", "The input"),
    "word.the_file_object": M("filobjektet", "the file object"),
    "part.rule": M("regeln {rule}", "the rule {rule}"),
    "part.derive": M("härledningen av värden", "deriving values"),
    "input.str_hint": M("en str läses som filnamn om den inte är JSON/YAML-text, som börjar med '{{' eller har "
                        "en radbrytning; sipdocs.loads() läser alltid text",
                        "a str is read as a file name unless it is JSON/YAML text, which starts with '{{' or has "
                        "a line break; sipdocs.loads() always reads text"),
    "render.blocked.outside_pack": M("utanför mallpaketet", "outside the template pack"),
    "render.blocked.pack_only": M("bara data: och paketets egna filer", "only data: and pack files are allowed"),
    "layout.patch_needs_layout": M("en patch behöver en layout att ändra: ange sections, eller utgå från ett "
                                   "paket som har layouten",
                                   "a patch needs a layout to patch: give sections, or extend a pack that has "
                                   "this layout"),
    "layout.schema": M("{problem} ({count} fel totalt)", "{problem} ({count} problem(s) in all)"),
    "layout.section_twice": M("sektions-id {section!r} används två gånger",
                              "the section id {section!r} is used twice"),
    "layout.no_section": M("ingen sektion {section!r} att ändra (sektioner: {known})",
                           "no section {section!r} to patch (sections: {known})"),
    "layout.bad_condition": M("inget giltigt villkor: {reason}", "not a valid condition: {reason}"),
    "layout.unknown_name": M("sektionen {section!r} använder {names}, som inte finns i underlaget",
                             "section {section!r} uses {names}, which the context does not have"),
    "layout.unknown_text": M("sektionen {section!r} använder texten {names}, som saknas i i18n/{lang}.toml",
                             "section {section!r} uses the text {names}, missing from i18n/{lang}.toml"),
    "layout.snippet_in_list": M("ett Jinja-utdrag kan inte stå i en lista av värden",
                                "a Jinja snippet cannot stand inside a list of values"),
    "layout.not_a_path": M("{value!r} är ingen sökväg i underlaget (som child.name)",
                           "{value!r} is not a context path (such as child.name)"),
    "layout.value_forms": M("ett värde är en sökväg eller en av text, link, mailto, join, lines, staff, contact",
                            "a value is a path, or one of text, link, mailto, join, lines, staff, contact"),
    "layout.text_key": M("text anger en katalognyckel som label.name", "text names a catalogue key such as label.name"),
    "layout.needs_list": M("{which} tar en lista av värden", "{which} takes a list of values"),
    "layout.unknown_value": M("okänd sorts värde {kind!r}", "unknown kind of value {kind!r}"),
    "layout.unknown_block": M("okänd blocktyp {kind!r}", "unknown block type {kind!r}"),
}

#: The messages of errors: ``code`` or ``code#variant``.
ERRORS: dict[str, M] = {
    # --- input -----------------------------------------------------------------------------------
    "input.invalid": M("Indata har {count} fel", "The input has {count} error(s)"),
    "input.invalid#source": M("Indata har {count} fel ({source})", "The input has {count} error(s) ({source})"),
    "input.not_found": M("Filen finns inte: {file}", "No such input file: {file}"),
    "input.not_found#str": M("Filen finns inte ({hint})", "No such input file ({hint})"),
    "input.not_found#folder": M("{subject} är en mapp, inte en fil", "{subject} is a folder, not a file"),
    "input.not_found#pdf": M("Kan inte läsa {file}", "Cannot read {file}"),
    "input.too_large": M("{subject} är större än 20 MB", "{subject} is larger than 20 MB"),
    "input.unreadable#os": M("Kan inte läsa {file}: {reason}", "Cannot read {file}: {reason}"),
    "input.unreadable#os_str": M("Kan inte läsa indatafilen: {reason} ({hint})",
                                 "Cannot read the input file: {reason} ({hint})"),
    "input.unreadable#stream": M("Kan inte läsa {source}", "Cannot read {source}"),
    "input.unreadable#utf8": M("{subject} är inte UTF-8-text", "{subject} is not UTF-8 text"),
    "input.unreadable#empty": M("{subject} är tom", "{subject} is empty"),
    "input.unreadable#too_deep": M("{subject} är för djupt nästlad", "{subject} is nested too deeply"),
    "input.unreadable#json": M("{subject} är inte giltig JSON (rad {line}, kolumn {column})",
                               "{subject} is not valid JSON (line {line}, column {column})"),
    "input.unreadable#yaml": M("{subject} är inte giltig JSON eller YAML", "{subject} is not valid JSON or YAML"),
    "input.unreadable#yaml_line": M("{subject} är inte giltig JSON eller YAML (rad {line})",
                                    "{subject} is not valid JSON or YAML (line {line})"),
    "input.not_an_object": M("{subject} måste innehålla ett JSON-objekt", "{subject} must hold one JSON object"),
    "input.unknown_kind": M("Okänd dokumenttyp; tillåtna: {allowed}", "Unknown document kind; allowed: {allowed}"),
    # --- packs and layouts -----------------------------------------------------------------------
    "pack.not_found": M("Okänt mallpaket {pack!r}; se 'sipdocs forms list'",
                        "Unknown template pack {pack!r}; see 'sipdocs forms list'"),
    "pack.invalid": M("Ogiltigt manifest i paketmappen '{folder}': {reason} (vid {where})",
                      "Invalid manifest in pack folder '{folder}': {reason} (at {where})"),
    "pack.invalid#unreadable": M("Kan inte läsa {file}: {reason}", "Cannot read {file}: {reason}"),
    "pack.extends_loop": M("Paketens arv går i cirkel vid {pack}", "Pack inheritance loops at {pack}"),
    "pack.file_missing": M("Paketet '{pack}' saknar filen {file!r}", "Pack '{pack}' has no file {file!r}"),
    "pack.file_missing#layout": M("Paketet '{pack}' saknar layout för {kind} (layouts/{kind}.yaml)",
                                  "Pack '{pack}' has no layout for {kind} (layouts/{kind}.yaml)"),
    "pack.file_missing#html": M("Paketet '{pack}' saknar HTML-mallen {template!r}",
                                "Pack '{pack}' has no HTML template {template!r}"),
    "pack.language_missing": M("Paketet '{pack}' saknar texter för språket {lang!r} (finns: {known})",
                               "Pack '{pack}' has no texts for language {lang!r} (has: {known})"),
    "pack.legal_ref_missing": M("Paketet '{pack}' saknar lagrum för dokumentets datum",
                                "Pack '{pack}' has no legal reference for the document date"),
    "pack.layout_invalid": M("Layouten {file} vid {pointer}: {problem}", "Layout {file} at {pointer}: {problem}"),
    "pack.layout_invalid#yaml": M("Layouten {file} är inte giltig YAML", "The layout {file} is not valid YAML"),
    "pack.layout_invalid#yaml_line": M("Layouten {file} är inte giltig YAML (rad {line})",
                                       "The layout {file} is not valid YAML (line {line})"),
    # --- rendering -------------------------------------------------------------------------------
    "render.security": M("Mallen {template} försökte göra något som sandlådan förbjuder: {reason}",
                         "The template {template} tried something the sandbox forbids: {reason}"),
    "render.undefined_variable": M("Mallen {template} använder {variable!r} som inte finns i underlaget",
                                   "The template {template} uses {variable!r}, which the context does not provide"),
    "render.template_syntax": M("Syntaxfel i mallen {template}, rad {line}: {reason}",
                                "Syntax error in the template {template}, line {line}: {reason}"),
    "render.failed#template": M("Mallen {template} misslyckades: {kind}", "The template {template} failed: {kind}"),
    "render.failed#python_docx": M("Den här versionen av python-docx kan inte bygga Word-mallar (ett styckes "
                                   "format är inte dess w:p-element)",
                                   "This python-docx version cannot build Word templates (a paragraph's format "
                                   "is not its w:p element)"),
    "render.timeout": M("Renderingen tog längre tid än {seconds:g} s och stoppades",
                        "Rendering took longer than {seconds:g} s and was stopped"),
    "render.output_too_large": M("{format}-filen blir större än {limit} byte",
                                 "The {format} output is larger than {limit} bytes"),
    "render.resource_blocked": M("Mallen i paketet '{pack}' hänvisar till en resurs som inte är tillåten "
                                 "({scheme}: {reason}); inget hämtades",
                                 "The template of pack '{pack}' refers to a resource that is not allowed "
                                 "({scheme}: {reason}); nothing was fetched"),
    "render.corrupt_output": M("Word-filen från {template} blev skadad och skrevs inte ({kind})",
                               "The rendered Word file from {template} is damaged and was not written ({kind})"),
    "render.corrupt_output#part": M("Word-delen {part} från {template} blev inte giltig XML och skrevs inte",
                                    "The rendered Word part {part} from {template} is not well-formed XML and "
                                    "was not written"),
    "render.unknown_format": M("Okänt utdataformat: {names} (finns: {known})",
                               "Unknown output format(s): {names} (known: {known})"),
    "render.unknown_format#engine": M("Ingen motor för utdataformatet {format!r} kan rendera med de här "
                                      "inställningarna",
                                      "No engine of the output format {format!r} can render with these options"),
    "render.unknown_variant": M("Okänd PDF-variant {variant!r} (finns: {known})",
                                "Unknown PDF variant {variant!r} (known: {known})"),
    "render.backend_unavailable": M("WeasyPrint kan inte laddas; installera Pango-biblioteken (libpango-1.0-0, "
                                    "libpangoft2-1.0-0)",
                                    "WeasyPrint cannot load; install the Pango libraries (libpango-1.0-0, "
                                    "libpangoft2-1.0-0)"),
    # --- PDF post-processing and consent forms -----------------------------------------------------
    "pdf.encrypt_conflicts_pdfa": M("PDF/A tillåter inte kryptering: en krypterad PDF kan vara pdf/ua-1 "
                                    "(tillgänglig, standard med lösenord) eller plain",
                                    "PDF/A forbids encryption: an encrypted PDF can be pdf/ua-1 (accessible, the "
                                    "default with a password) or plain"),
    "pdf.merge_empty": M("Inget att slå ihop", "Nothing to merge"),
    "pdf.merge_failed": M("Kunde inte slå ihop PDF-filerna", "Could not merge the PDF files"),
    "pdf.password_missing": M("Ett tomt lösenord är inte tillåtet", "An empty password is not allowed"),
    "pdf.password_missing#read": M("PDF-filen är krypterad: ange lösenordet (SIPDOCS_PDF_PASSWORD eller --password)",
                                   "The PDF is encrypted: give its password (SIPDOCS_PDF_PASSWORD or --password)"),
    "pdf.password_wrong": M("Lösenordet öppnar inte den krypterade PDF-filen",
                            "The password does not open the encrypted PDF"),
    "pdf.encrypt_failed": M("Kunde inte kryptera PDF-filen", "Could not encrypt the PDF"),
    "pdf.encrypt_failed#aes": M("AES-kryptering kräver paketet 'cryptography'",
                                "AES encryption needs the 'cryptography' package"),
    "consent_form.unreadable": M("Filen är inte ett läsbart PDF-formulär", "The file is not a readable PDF form"),
    "consent_form.no_fields": M("PDF-filen saknar sipdocs samtyckesfält",
                                "The PDF has no sipdocs consent form fields"),
    "consent_form.input_count": M("Filen innehåller {forms} samtyckesformulär men {inputs} indatafiler angavs",
                                  "The file holds {forms} consent form(s) but {inputs} input(s) were given"),
    "consent_form.several_forms": M("Paketet innehåller {count} samtyckesformulär (dokument {places}); välj ett "
                                    "(--document N) eller läs alla",
                                    "The packet holds {count} consent forms (documents {places}); choose one "
                                    "(--document N), or read them all"),
    "consent_form.no_such_document": M("Dokument {document} i filen är inget samtyckesformulär",
                                       "Document {document} of the file is not a consent form"),
    "consent_form.fill_failed": M("Kunde inte fylla i formuläret", "Could not fill the form"),
    # --- output ----------------------------------------------------------------------------------
    "output.exists": M("{names} finns redan; inget skrevs (använd --force för att skriva över)",
                       "{names} exists already; nothing was written (use --force to overwrite)"),
    "output.exists#folder": M("{folder} finns redan och är inte tom", "{folder} exists and is not empty"),
    "output.bad_pattern": M("Felaktigt namnmönster {pattern!r}; fält: {fields}",
                            "Bad name pattern {pattern!r}; fields: {fields}"),
    "output.disk_full": M("Disken är full; {file} skrevs inte", "The disk is full; {file} was not written"),
    "output.read_only": M("Kan inte skriva i {folder} (skrivskyddad eller saknar behörighet)",
                          "Cannot write to {folder} (read-only or no permission)"),
    "output.write_failed": M("Kunde inte skriva {file}: {reason}", "Could not write {file}: {reason}"),
    # --- spreadsheets ------------------------------------------------------------------------------
    "sheet.not_found": M("Kalkylbladet finns inte: {path}", "No such spreadsheet: {path}"),
    "sheet.not_found#sheet": M("{file} saknar bladet {sheet!r} (finns: {known})",
                               "{file} has no sheet {sheet!r} (has: {known})"),
    "sheet.unsupported": M("Filtypen {suffix} stöds inte: använd .csv, .xlsx eller .ods",
                           "Unsupported spreadsheet type {suffix}: use .csv, .xlsx or .ods"),
    "sheet.encoding": M("{file} är inte text i {encoding}", "{file} is not {encoding} text"),
    "sheet.unreadable#csv": M("{file} är inte giltig CSV ({reason})", "{file} is not valid CSV ({reason})"),
    "sheet.unreadable#xlsx": M("{file} är ingen giltig XLSX-fil (skadad zip)",
                               "{file} is not a valid XLSX file (damaged zip)"),
    "sheet.unreadable#ods": M("{file} är ingen giltig ODS-fil", "{file} is not a valid ODS file"),
    "sheet.unreadable#type": M("{file} kan inte läsas ({kind})", "{file} cannot be read ({kind})"),
    "sheet.unreadable#file": M("{file} kan inte läsas", "{file} cannot be read"),
    "sheet.unreadable#sheet": M("Bladet {sheet!r} kan inte läsas", "The sheet {sheet!r} cannot be read"),
    "sheet.empty": M("Bladet {sheet!r} är tomt", "The sheet {sheet!r} is empty"),
    "sheet.empty#no_sheets": M("{file} saknar blad", "{file} has no sheets"),
    "sheet.too_large#rows": M("{file} har fler än {limit} rader", "{file} has more than {limit} rows"),
    "sheet.too_large#columns": M("Bladet {sheet!r} har fler än {limit} kolumner",
                                 "The sheet {sheet!r} has more than {limit} columns"),
    "sheet.too_large#worksheet": M("Ett blad i {file} är för stort ({bytes} byte)",
                                   "A worksheet in {file} is too large ({bytes} bytes)"),
    "sheet.too_large#declared": M("{file} anger ett blad med {rows} rader × {columns} kolumner; gränsen är "
                                  "{max_rows} rader och {max_columns} kolumner",
                                  "{file} declares a sheet of {rows} rows × {columns} columns; the limit is "
                                  "{max_rows} rows and {max_columns} columns"),
    "sheet.too_large#file": M("{file} är för stor", "{file} is too large"),
    # --- the web app's JSON API ----------------------------------------------------------------------
    "auth.required": M("En giltig 'Authorization: Bearer <nyckel>' krävs",
                       "A valid 'Authorization: Bearer <token>' is required"),
    "input.too_large#body": M("Anropets innehåll är större än {limit} byte",
                              "The request body is larger than {limit} bytes"),
    "input.unreadable#body": M("Innehållet är inte giltig JSON", "The body is not valid JSON"),
    "input.unreadable#body_line": M("Innehållet är inte giltig JSON (rad {line}, kolumn {column})",
                                    "The body is not valid JSON (line {line}, column {column})"),
    "input.invalid#web": M("Indata har fel", "The input has errors"),
    "input.not_an_object#documents": M("Innehållet ska vara en lista med handlingar (JSON-objekt) eller "
                                       "{{\"documents\": [...]}}",
                                       "The body must be a list of documents (JSON objects) or "
                                       "{{\"documents\": [...]}}"),
    "render.unknown_format#query": M("format ska vara ett av: {known}", "format must be one of: {known}"),
    # --- bugs in sipdocs -------------------------------------------------------------------------
    "internal.error#bug": M("Internt fel: {part} kraschade ({kind}). Det är ett fel i sipdocs, inte i indata; "
                            "rapportera det gärna (kör med --debug för detaljer).",
                            "Internal error: {part} failed ({kind}). This is a bug in sipdocs, not a problem in "
                            "the input; please report it (run with --debug for details)."),
}
