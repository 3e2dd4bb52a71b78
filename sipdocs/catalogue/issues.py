"""The issue codes of validation: each stable code with its domain rule and its messages.

Messages are templates filled only with non-personal parameters: ``field`` (the schema title
of the field, Swedish), ``pointer``, limits, counts and pack settings. ``field`` is Swedish
only, and a few parameters come as a pair (``expected_sv``/``expected_en``). The README's table
of issue codes is generated from this table (``scripts/readme_codes.py``).
"""

from __future__ import annotations

from .message import Message


def M(rule: str | None, sv: str, en: str) -> Message:
    return Message(sv, en, rule)


ISSUES: dict[str, Message] = {
    # --- reading the input -------------------------------------------------------------
    "input.unreadable": M(None, "Indata kunde inte läsas: {reason}.", "The input could not be read: {reason}."),
    "input.not_an_object": M(None, "Indata måste vara ett JSON-objekt.", "The input must be a JSON object."),
    "input.unknown_kind": M(None, "Okänd eller saknad dokumenttyp i 'kind' (tillåtna: {allowed}).",
                            "Unknown or missing document kind in 'kind' (allowed: {allowed})."),
    "input.kind_mismatch": M(None, "Dokumenttypen är {found} men {expected} begärdes.",
                             "The document kind is {found} but {expected} was requested."),
    "input.illegal_character": M(None, "Fältet {field} ({pointer}) innehåller ett otillåtet styrtecken.",
                                 "The field {pointer} contains a control character that documents cannot hold."),
    # --- JSON Schema keywords ----------------------------------------------------------
    "schema.required": M(None, "Obligatoriskt fält saknas: {field} ({pointer}).", "Required field missing: {pointer}."),
    "schema.type": M(None, "Fel sorts värde i {field} ({pointer}): här ska stå {expected_sv}.",
                     "Wrong kind of value at {pointer}: this field takes {expected_en}."),
    "schema.enum": M(None, "Otillåtet värde i {field} ({pointer}); välj bland: {expected_sv}.",
                     "Value not allowed at {pointer}; choose from: {expected_en}."),
    "schema.const": M(None, "Fältet {field} ({pointer}) måste vara {expected}.", "The field {pointer} must be {expected}."),
    "schema.format": M(None, "Fel format i {field} ({pointer}): {expected_sv}.",
                       "Wrong format at {pointer}: {expected_en}."),
    "schema.pattern": M(None, "Fältet {field} ({pointer}) har fel form: {expected_sv}.",
                        "The field {pointer} has the wrong form: {expected_en}."),
    "schema.min_length": M(None, "Fältet {field} ({pointer}) är tomt.", "The field {pointer} is empty."),
    "schema.max_length": M(None, "Fältet {field} ({pointer}) är för långt (högst {limit} tecken).",
                           "The field {pointer} is too long (at most {limit} characters)."),
    "schema.min_items": M(None, "Listan {field} ({pointer}) måste ha minst {items}.",
                          "The list {pointer} needs at least {items}."),
    "schema.max_items": M(None, "Listan {field} ({pointer}) får ha högst {items}.",
                          "The list {pointer} may have at most {items}."),
    "schema.unique_items": M(None, "Listan {field} ({pointer}) innehåller dubbletter.", "The list {pointer} has duplicates."),
    "schema.minimum": M(None, "Värdet i {field} ({pointer}) är för litet (minst {limit}).",
                        "The value at {pointer} is too small (minimum {limit})."),
    "schema.maximum": M(None, "Värdet i {field} ({pointer}) är för stort (högst {limit}).",
                        "The value at {pointer} is too large (maximum {limit})."),
    "schema.additional_property": M(None, "Okänt fält: {pointer} ({suggestion}).",
                                    "Unknown field: {pointer} ({suggestion})."),
    "schema.invalid": M(None, "Fältet {field} ({pointer}) är ogiltigt ({keyword}).", "The field {pointer} is invalid ({keyword})."),
    # --- Python values and values damaged by spreadsheet programs ------------------------
    "input.unsupported_value": M(None, "Fältet {field} ({pointer}) har ett Python-värde av typen {type}, som JSON saknar; "
                                 "ange text, tal, ja/nej (true/false), datum, en lista eller ett objekt.",
                                 "The field {pointer} holds a Python value of type {type}, which JSON has no form for; "
                                 "give text, a number, true/false, a date, a list or an object."),
    "input.key_not_text": M(None, "Ett fältnamn i {field} ({pointer}) är inte text utan av typen {type}.",
                            "A field name in {pointer} is not text but of type {type}."),
    "input.excel_number": M(None, "Excel har gjort om talet i {field} ({pointer}) till exponentform (som 2,01E+11) och "
                            "siffror har försvunnit — formatera kolumnen som text och skriv in värdet igen.",
                            "Excel has turned the number at {pointer} into exponent form (like 2.01E+11) and digits "
                            "are lost — format the column as text and type the value again."),
    "input.leading_zero_lost": M(None, "Värdet i {field} ({pointer}) verkar ha tappat sin inledande nolla — Excel tar "
                                 "bort den om kolumnen inte är formaterad som text.",
                                 "The value at {pointer} seems to have lost its leading zero — Excel drops it unless "
                                 "the column is formatted as text."),
    # --- identity numbers and age --------------------------------------------------------
    "id.personnummer_invalid": M(None, "Ogiltigt personnummer i {field} ({pointer}): kontrollsiffran eller datumet stämmer inte.",
                                 "Invalid personal identity number at {pointer}: the check digit or the date is wrong."),
    "id.samordningsnummer_invalid": M(None, "Ogiltigt samordningsnummer i {field} ({pointer}): kontrollsiffran eller datumet stämmer inte.",
                                      "Invalid coordination number at {pointer}: the check digit or the date is wrong."),
    "id.short_form": M(None, "Personnumret i {field} ({pointer}) saknar sekel; ange 12 siffror (ÅÅÅÅMMDD-NNNN).",
                       "The number at {pointer} lacks the century; give 12 digits (YYYYMMDD-NNNN)."),
    "participant.actor_unknown": M(None, "Aktören ({pointer}) finns inte i paketets aktörskatalog.",
                                   "The actor ({pointer}) is not in the pack's actor catalogue."),
    "id.missing": M(None, "Barnets personnummer saknas ({pointer}); paketet tillåter inte enbart födelsedatum.",
                    "The child's personal number is missing ({pointer}); the pack does not allow a date of birth instead."),
    "age.out_of_scope": M("R35", "Barnet är {age} år vid dokumentets datum; paketet gäller {age_min}–{age_max} år.",
                          "The child is {age} at the document date; the pack covers ages {age_min}–{age_max}."),
    "age.ageing_out": M("R35", "Barnet fyller {limit} år före {until_what}; planera övergången till vuxen-SIP.",
                        "The child turns {limit} before {until_what}; plan the transition to an adult SIP."),
    # --- consent ---------------------------------------------------------------------------
    "consent.not_obtained": M("R4", "Samtycke saknas ({pointer}): ingen SIP och inga andra parter utan samtycke.",
                              "Consent not obtained ({pointer}): no SIP and no other parties without consent."),
    "consent.valid_until_too_late": M("R5", "Giltighetstiden ({pointer}) är längre än tillåtet: senast processens slut och högst ett år från start.",
                                      "The validity ({pointer}) is too long: at most until the process ends and at most one year from the start."),
    "consent.valid_until_before_start": M("R5", "Giltighetstiden ({pointer}) slutar före startdatumet.",
                                          "The validity ({pointer}) ends before it starts."),
    "consent.expires_before_followup": M("R5", "Samtycket upphör före uppföljningen ({pointer}); förnya samtycket i tid.",
                                         "The consent expires before the follow-up ({pointer}); renew it in time."),
    "consent.expired": M("R5", "Samtycket har upphört före dokumentets datum ({pointer}).",
                         "The consent expired before the document date ({pointer})."),
    "consent.withdrawn_reason": M("R6", "Samtycket är återkallat; orsaken till avslut ska vara SAMTYCKE_ATERKALLAT ({pointer}).",
                                  "Consent was withdrawn; the closure reason must be SAMTYCKE_ATERKALLAT ({pointer})."),
    "consent.withdrawal_missing": M("R6", "Orsaken är återkallat samtycke men uppgift om återkallelsen saknas ({pointer}).",
                                    "The reason is withdrawn consent but the withdrawal is not described ({pointer})."),
    "consent.oral_not_documented": M("R7", "Muntligt samtycke ska dokumenteras i verksamhetssystemet ({pointer}).",
                                     "Oral consent must be recorded in the case system ({pointer})."),
    "consent.parties_not_distinct": M("R8", "Samtycket ska namnge minst två olika verksamheter ({pointer}).",
                                      "The consent must name at least two different services ({pointer})."),
    "consent.purpose_other_missing": M("R8", "Syftet 'annat' måste beskrivas ({pointer}); inget generellt samtycke.",
                                       "The purpose 'other' must be described ({pointer}); no blanket consent."),
    "consent.scope_missing": M("R8", "Samtycket på planen ska ange syfte, parter och uppgifter ({pointer}) när paketet har samtycket i planen.",
                               "The plan's consent must state purposes, parties and information ({pointer}) when the pack embeds consent in the plan."),
    "consent.guardian_missing": M("R9", "Ingen vårdnadshavare finns bland de samtyckande ({pointer}).",
                                  "No guardian is among those consenting ({pointer})."),
    "consent.child_not_consenting": M("R9", "Barnet är {age} år (gräns {limit}); barnets eget samtycke bör inhämtas ({pointer}).",
                                      "The child is {age} (limit {limit}); the child's own consent should be obtained ({pointer})."),
    # --- meetings and timing -------------------------------------------------------------------
    "sectors.too_few": M("R12", "Minst {limit} av skola, socialtjänst och hälso- och sjukvård ska delta; nu {count} ({pointer}).",
                         "At least {limit} of school, social services and health care must take part; now {count} ({pointer})."),
    "invitation.short_notice": M("R13", "Kallelsen skickas {days} dagar före mötet; paketet anger minst {limit} dagar ({pointer}).",
                                 "The invitation is sent {days} days before the meeting; the pack asks for at least {limit} ({pointer})."),
    "invitation.meeting_too_late": M("R11", "Mötet hålls {days} dagar efter att behovet upptäcktes; paketet anger högst {limit} ({pointer}).",
                                     "The meeting is {days} days after the need was found; the pack allows at most {limit} ({pointer})."),
    "invitation.confirm_by_after_meeting": M("R13", "Sista svarsdag ({pointer}) måste ligga före mötet.",
                                             "The reply-by date ({pointer}) must be before the meeting."),
    "invitation.sent_after_meeting": M(None, "Kallelsens datum ({pointer}) ligger efter mötet.",
                                       "The invitation date ({pointer}) is after the meeting."),
    "meeting.time_order": M(None, "Mötet slutar innan det börjar ({pointer}).", "The meeting ends before it starts ({pointer})."),
    "meeting.location_missing": M(None, "Plats saknas för ett möte som inte är helt digitalt ({pointer}).",
                                  "A place is needed for a meeting that is not fully digital ({pointer})."),
    "meeting.link_missing": M(None, "Länk saknas för ett digitalt möte ({pointer}).", "A link is missing for a digital meeting ({pointer})."),
    # --- plan and follow-up ----------------------------------------------------------------------
    "plan.single_principal": M("R2", "Insatserna omfattar inte både kommun och region ({pointer}); SIP gäller insatser från båda huvudmännen.",
                               "The interventions do not involve both municipality and region ({pointer}); a SIP concerns both principals."),
    "plan.intervention_where_missing": M("R3", "Paketet kräver att varje insats anger var den ges ({pointer}).",
                                         "The pack requires every intervention to say where it takes place ({pointer})."),
    "plan.no_distribution": M("R16", "Ingen får kopia av planen ({pointer}); den som dokumenterar skickar kopia till alla deltagare.",
                              "Nobody gets a copy ({pointer}); the note-taker sends a copy to every attendee."),
    "plan.family_contact_missing": M("R17", "Kontaktperson för familjen ska utses ({pointer}).",
                                     "A contact person for the family must be appointed ({pointer})."),
    "plan.followup_missing": M("R18", "Tid för uppföljning ska bokas på mötet ({pointer}).",
                               "A follow-up must be booked at the meeting ({pointer})."),
    "plan.followup_before_meeting": M("R18", "Uppföljningen ({pointer}) ligger före mötet.", "The follow-up ({pointer}) is before the meeting."),
    "followup.revised_interventions_missing": M("R18", "Reviderad plan kräver en ny insatstabell ({pointer}).",
                                                "A revised plan needs a new intervention table ({pointer})."),
    "followup.previous_after_meeting": M(None, "Föregående möte ({pointer}) ligger efter detta möte.",
                                         "The previous meeting ({pointer}) is after this meeting."),
    "child.views_missing": M("R20", "Barnet deltar inte; barnets egna synpunkter ska redovisas ({pointer}).",
                             "The child does not attend; the child's own views must be given ({pointer})."),
    # --- closure ---------------------------------------------------------------------------------
    "closure.reason_text_missing": M("R28", "Orsaken 'ANNAT' måste beskrivas ({pointer}).", "The reason 'ANNAT' must be described ({pointer})."),
    "closure.reason_not_in_pack": M("R28", "Orsaken ({pointer}) finns inte bland paketets avslutsorsaker.",
                                    "The reason ({pointer}) is not among the pack's closure reasons."),
    "closure.date_order": M("R28", "Avslutsdatum ({pointer}) ligger före datumet då planen upprättades.",
                            "The closure date ({pointer}) is before the plan was made."),
    "closure.family_not_informed": M("R28", "Barnet och vårdnadshavarna ska få veta att SIP avslutas och vart de vänder sig ({pointer}).",
                                     "The child and guardians must be told that the SIP ends and where to turn ({pointer})."),
    # --- interpreter and protected identity ------------------------------------------------------
    "interpreter.language_missing": M("R29", "Tolk behövs men språk saknas ({pointer}).", "An interpreter is needed but the language is missing ({pointer})."),
    "interpreter.relative": M("R29", "Anhöriga eller barn ska inte användas som tolk ({pointer}).",
                              "Relatives or children should not interpret ({pointer})."),
    "interpreter.not_needed": M("R29", "Tolk behövs inte enligt uppgiften, så {pointer} skrivs inte ut.",
                                "No interpreter is needed, so {pointer} is not printed."),
    "protected.contact_given": M("R30", "Personen har skyddade personuppgifter; adress och telefon ({pointer}) skrivs aldrig ut.",
                                 "The person has protected identity; the address and phone ({pointer}) will never be printed."),
    "protected.recipient_blocked": M("R30", "En person som inte får ta del av handlingen står som mottagare ({pointer}).",
                                     "A person who must not receive the document is listed as a recipient ({pointer})."),
    "consent_form.bad_date": M("R7", "Datumet i formuläret ({pointer}) kunde inte läsas; skriv ÅÅÅÅ-MM-DD.",
                               "The date in the form ({pointer}) could not be read; write YYYY-MM-DD."),
    # --- spreadsheets and bulk runs ------------------------------------------------------------------
    "sheet.unknown_column": M(None, "Kolumnen {column} känns inte igen och används inte.",
                              "The column {column} is not recognised and is ignored."),
    "sheet.list_columns_missing": M(None, "Listbladet {sheet} saknar kolumnerna Ärende-id och Lista.",
                                    "The list sheet {sheet} lacks the columns Ärende-id (case_id) and Lista (list)."),
    "sheet.lists_missing": M(None, "Listorna ({lists}) saknas: fyll i dem {where}, en rad per post med radens "
                             "Ärende-id, eller ange listfilen med --lists.",
                             "The lists ({lists}) are missing: fill them in {where}, one row per item with the "
                             "row's Ärende-id, or give the list file with --lists."),
    "sheet.unknown_list": M(None, "Okänd lista på listbladet {sheet}.", "Unknown list on the list sheet {sheet}."),
    "sheet.orphan_list_row": M(None, "Raden på listbladet {sheet} har ett Ärende-id som ingen rad på huvudbladet har.",
                               "The row on the list sheet {sheet} has an Ärende-id (case_id) that no main-sheet row has."),
    "bulk.name_collision": M(None, "Filnamnet för raden ({name}) används redan av rad {other}; raden renderades inte.",
                             "The file name for the row ({name}) is already used by row {other}; the row was not rendered."),
    "bulk.output_exists": M(None, "Filen {name} finns redan; använd --force eller --resume.",
                            "The file {name} exists already; use --force or --resume."),
    "bulk.render_failed": M(None, "Raden kunde inte renderas: {reason}.", "The row could not be rendered: {reason}."),
    # --- intake note -------------------------------------------------------------------------------
    "intake.consent_not_verified": M("R26", "Samtycket ska bekräftas med avsändaren av kallelsen ({pointer}).",
                                     "Consent must be confirmed with the sender of the invitation ({pointer})."),
    "intake.family_contacted": M("R26", "Socialtjänsten tar kontakt med avsändaren, inte med familjen ({pointer}).",
                                 "Social services contact the sender, not the family ({pointer})."),
    "intake.needs_assessment": M("R26", "Utfallet ({pointer}) hanteras enligt rutinen för förhandsbedömning/utredning.",
                                 "The outcome ({pointer}) goes to the pre-assessment/investigation routine."),
}
