"""Held-out samples for the message detector.

This set was written apart from ``moderation/detection.py`` and from the main corpus in
``tests/moderation/detection_corpus.py``: its author did not read either of them. The wording,
names, providers and numbers are new, so the set measures how well the detector generalises
rather than how well it fits the phrasings it was tuned on.

Every number was checked with a scratch script before it went in: card numbers against Luhn,
IBANs against ISO 13616 mod 97 (and python-stdnum's country formats), ID card numbers against
the ICAO 9303 7-3-1 check digit, tax ids against ``stdnum.de.idnr`` and phone numbers against
libphonenumber (``is_valid_number``, region DE for national formats). The hard negatives hold
numbers that fail those checks on purpose, or numbers that are not personal data at all.
"""

from __future__ import annotations

from tests.moderation.detection_corpus import Sample

EMAIL = "email"
PHONE = "phone"
HANDLE = "contact_handle"
REMOTE = "remote_access"
CARD = "card_number"
IBAN = "iban"
NATIONAL_ID = "national_id"
TAX_ID = "tax_id"

NONE: frozenset[str] = frozenset()

HOLDOUT: tuple[Sample, ...] = (
    # ------------------------------------------------------------------ email
    Sample(
        "Easier if you send the source files to marek.novak at outlook dot com, "
        "the upload here keeps failing.",
        frozenset({EMAIL}),
        "en",
        note="spelled-out at/dot",
    ),
    Sample(
        "my address is priya_r [at] protonmail [dot] com, drop the final invoice there",
        frozenset({EMAIL}),
        "en",
        note="bracketed at/dot",
    ),
    Sample(
        "Write me directly: j.okafor @ yahoo . com and we can skip the fees",
        frozenset({EMAIL}),
        "en",
        note="spaces around @ and dot",
    ),
    Sample(
        "Reach me at dana.whitfield(at)icloud(dot)com or call +44 20 7946 0958 after lunch.",
        frozenset({EMAIL, PHONE}),
        "en",
        note="parenthesised at/dot plus a UK number",
    ),
    Sample(
        "contact: oliver DOT brandt AT fastmail DOT com",
        frozenset({EMAIL}),
        "en",
        note="upper-case AT/DOT",
    ),
    Sample(
        "My email's rafael.costa@mail.com if that's easier for the voice files.",
        frozenset({EMAIL}),
        "en",
        note="plain address",
    ),
    Sample(
        "Schick mir die Rechnung lieber an tobias.kraemer ät web punkt de",
        frozenset({EMAIL}),
        "de",
        note="ät/punkt",
    ),
    Sample(
        "Meine Mail: s.albrecht(at)gmx.de, dann klären wir den Rest dort.",
        frozenset({EMAIL}),
        "de",
        note="(at) with a real dot",
    ),
    Sample(
        "Kannst du mir die Dateien an finn punkt hartmann at posteo punkt de schicken?",
        frozenset({EMAIL}),
        "de",
        note="punkt in the local part and the domain",
    ),
    Sample(
        "Für Rückfragen schreib an info@hartmann-voiceover.de oder ruf an unter 0171 2345678.",
        frozenset({EMAIL, PHONE}),
        "de",
        note="plain address plus a German mobile",
    ),
    Sample(
        "Schreib mir einfach an lea-marie [at] t-online [punkt] de, da antworte ich schneller.",
        frozenset({EMAIL}),
        "de",
        note="bracketed at/punkt, hyphens in local part and domain",
    ),
    # ------------------------------------------------------------------ phone
    Sample(
        "My office line is +1 202 456 1111, ring any time after nine.",
        frozenset({PHONE}),
        "en",
        note="US number, international format",
    ),
    Sample(
        "You can reach our studio in Paris at +33 1 42 68 53 00 for the recording slot.",
        frozenset({PHONE}),
        "en",
        note="French landline",
    ),
    Sample(
        "Text me on +49 160 9876543, that's faster than this chat.",
        frozenset({PHONE}),
        "en",
        note="German mobile, +49",
    ),
    Sample(
        "I'm based in Vienna, my number is +43 1 5121234.",
        frozenset({PHONE}),
        "en",
        note="Austrian landline",
    ),
    Sample(
        "For the sign-off just call my Zurich office, +41 44 668 18 00.",
        frozenset({PHONE}),
        "en",
        note="Swiss landline",
    ),
    Sample(
        "Ruf mich kurz an, dann erklär ich dir das Briefing: 0151 23456789",
        frozenset({PHONE}),
        "de",
        note="German mobile, national format",
    ),
    Sample(
        "Festnetz: 089 12345678, ab 10 Uhr bin ich erreichbar.",
        frozenset({PHONE}),
        "de",
        note="Munich landline",
    ),
    Sample(
        "Meine Nummer ist 0176/98765432, meld dich einfach.",
        frozenset({PHONE}),
        "de",
        note="slash between prefix and number",
    ),
    Sample(
        "Erreichbar bin ich unter +49 30 901820 (Büro).",
        frozenset({PHONE}),
        "de",
        note="Berlin landline, +49",
    ),
    Sample(
        "Am besten telefonisch, die Nummer vom Studio ist 040 4288 4100.",
        frozenset({PHONE}),
        "de",
        note="Hamburg landline",
    ),
    # ------------------------------------------------------------------ contact_handle
    Sample(
        "Add me on Telegram, @pixelforge_studio, I answer much faster there.",
        frozenset({HANDLE}),
        "en",
        note="Telegram handle",
    ),
    Sample(
        "Here's my link: t.me/nora_designs, let's continue the revisions there",
        frozenset({HANDLE}),
        "en",
        note="t.me link",
    ),
    Sample(
        "Skype me at live:.cid.7f3a9b21e0c4d5 so we can go through the translation together.",
        frozenset({HANDLE}),
        "en",
        note="Skype live: id",
    ),
    Sample(
        "Just send the tip to paypal.me/benschulte, that's cheaper for both of us.",
        frozenset({HANDLE}),
        "en",
        note="paypal.me link",
    ),
    Sample(
        "Venmo me @Carla-Ruiz-22 and I'll start on the website today.",
        frozenset({HANDLE}),
        "en",
        note="Venmo handle",
    ),
    Sample(
        "My Cash App is $jaylenbeats, pay half up front there and I'll record tonight.",
        frozenset({HANDLE}),
        "en",
        note="Cash App $cashtag",
    ),
    Sample(
        "Can we move this over to Discord? Add me, I'm kestrel_renders there.",
        frozenset({HANDLE}),
        "en",
        note="Discord invitation",
    ),
    Sample(
        "DM me on Instagram @lumen.letters, I'll send you the sketches there.",
        frozenset({HANDLE}),
        "en",
        note="Instagram DM",
    ),
    Sample(
        "Just Zelle the remaining $200 to me directly and we both skip the fee.",
        frozenset({HANDLE}),
        "en",
        note="Zelle payment off-platform",
    ),
    Sample(
        "Lass uns auf Signal weiterschreiben, da bin ich schneller.",
        frozenset({HANDLE}),
        "de",
        note="Signal invitation",
    ),
    Sample(
        "Hast du Threema? Meine ID dort ist 7HXK2P9M, schreib mir da.",
        frozenset({HANDLE}),
        "de",
        note="Threema id",
    ),
    Sample(
        "Überweis mir den Rest einfach per Revolut, dann sparen wir uns die Gebühren.",
        frozenset({HANDLE}),
        "de",
        note="Revolut payment off-platform",
    ),
    Sample(
        "Schreib mir auf WhatsApp: 0162 7788990",
        frozenset({HANDLE, PHONE}),
        "de",
        note="WhatsApp invitation with a mobile number",
    ),
    Sample(
        "Bist du auf WeChat? Mein Name dort ist liwei_translate, dann schick ich dir alles.",
        frozenset({HANDLE}),
        "de",
        note="WeChat id",
    ),
    Sample(
        "Zahl mir das Trinkgeld lieber über Wise, nicht hier über die Plattform.",
        frozenset({HANDLE}),
        "de",
        note="Wise payment off-platform",
    ),
    Sample(
        "Meld dich auf Viber bei mir, gleiche Nummer wie im Profil.",
        frozenset({HANDLE}),
        "de",
        note="Viber invitation",
    ),
    # ------------------------------------------------------------------ remote_access
    Sample(
        "If you install TeamViewer I can fix the WordPress plugin directly on your machine.",
        frozenset({REMOTE}),
        "en",
    ),
    Sample(
        "Send me your AnyDesk address and I'll connect in five minutes.",
        frozenset({REMOTE}),
        "en",
    ),
    Sample(
        "Easiest is RustDesk, give me the ID and password and I'll set up the theme.",
        frozenset({REMOTE}),
        "en",
    ),
    Sample(
        "Could you share your screen through Chrome Remote Desktop? Then I'll sort the DNS.",
        frozenset({REMOTE}),
        "en",
    ),
    Sample(
        "I use Splashtop for client sessions, I'll send you an invite so I can take over.",
        frozenset({REMOTE}),
        "en",
    ),
    Sample(
        "Installier bitte mal AnyDesk, dann schau ich mir den Fehler im Shop direkt bei dir an.",
        frozenset({REMOTE}),
        "de",
    ),
    Sample(
        "Gib mir deine TeamViewer-ID und das Passwort, dann richte ich das Plugin ein.",
        frozenset({REMOTE}),
        "de",
    ),
    Sample(
        "Ich könnte mich per UltraViewer auf deinen Rechner schalten und die Schriften "
        "installieren.",
        frozenset({REMOTE}),
        "de",
    ),
    Sample(
        "Lade dir Supremo runter und schick mir die ID, dann geht das ganz schnell.",
        frozenset({REMOTE}),
        "de",
    ),
    Sample(
        "Wir können das über LogMeIn machen, ich schick dir gleich den Link zum Verbinden.",
        frozenset({REMOTE}),
        "de",
    ),
    Sample(
        "Hier ist meine TeamViewer-ID: 1 482 903 576, verbinde dich einfach, ich zeig's dir.",
        frozenset({REMOTE}),
        "de",
        note="TeamViewer id, not a phone number",
    ),
    # ------------------------------------------------------------------ card_number
    Sample(
        "I can pay you directly, the card is 4242 4242 4242 4242, exp 12/27.",
        frozenset({CARD}),
        "en",
        note="Visa test number",
    ),
    Sample(
        "That one got declined, use this instead: 5200 8282 8282 8210",
        frozenset({CARD}),
        "en",
        note="Mastercard debit test number",
    ),
    Sample(
        "Amex works too: 3714 496353 98431",
        frozenset({CARD}),
        "en",
        note="15-digit Amex in 4-6-5 groups",
    ),
    Sample(
        "Here's the Discover number for the deposit, 6011 0009 9013 9424.",
        frozenset({CARD}),
        "en",
        note="Discover",
    ),
    Sample(
        "4000-0566-5566-5556, charge the remaining 80 euros to that card.",
        frozenset({CARD}),
        "en",
        note="hyphen-separated Visa debit",
    ),
    Sample(
        "Meine Kreditkarte: 5555 5555 5555 4444, gültig bis 09/28.",
        frozenset({CARD}),
        "de",
        note="Mastercard test number",
    ),
    Sample(
        "Buch die 150 € einfach von 2223 0031 2200 3222 ab, das geht schneller.",
        frozenset({CARD}),
        "de",
        note="Mastercard 2-series",
    ),
    Sample(
        "Kartennummer 3566 0020 2036 0505, den Rest schick ich dir separat.",
        frozenset({CARD}),
        "de",
        note="JCB",
    ),
    Sample(
        "Versuch mal die andere Karte: 4000002500003155",
        frozenset({CARD}),
        "de",
        note="unseparated 16 digits",
    ),
    Sample(
        "Die Visa hat 19 Stellen: 4000 0000 0000 0000 006",
        frozenset({CARD}),
        "de",
        note="19-digit card",
    ),
    Sample(
        "Entweder die Karte 4111 1111 1111 1111 oder du überweist auf DE89 3704 0044 0532 0130 00.",
        frozenset({CARD, IBAN}),
        "de",
        note="card and IBAN in one message",
    ),
    # ------------------------------------------------------------------ iban
    Sample(
        "Wire it to GB82 WEST 1234 5698 7654 32, the bank is in Leeds.",
        frozenset({IBAN}),
        "en",
        note="UK IBAN with bank code letters",
    ),
    Sample(
        "My IBAN: NL91ABNA0417164300",
        frozenset({IBAN}),
        "en",
        note="Dutch, unseparated",
    ),
    Sample(
        "Transfer to ES91 2100 0418 4502 0005 1332 with the reference 'logo v3'.",
        frozenset({IBAN}),
        "en",
        note="Spanish",
    ),
    Sample(
        "Account is CH93 0076 2011 6238 5295 7, I'm in Zurich.",
        frozenset({IBAN}),
        "en",
        note="Swiss, 21 characters",
    ),
    Sample(
        "Please pay to FR14 2004 1010 0505 0001 3M02 606 once the voice-over is approved.",
        frozenset({IBAN}),
        "en",
        note="French, letter inside the BBAN",
    ),
    Sample(
        "Überweis mir das bitte auf DE75 5121 0800 1245 1261 99.",
        frozenset({IBAN}),
        "de",
        note="German",
    ),
    Sample(
        "IBAN: AT87 1200 0520 6654 3301, Empfänger ist Huber Design.",
        frozenset({IBAN}),
        "de",
        note="Austrian",
    ),
    Sample(
        "Kontoverbindung für die Anzahlung: IT60 X054 2811 1010 0000 0123 456",
        frozenset({IBAN}),
        "de",
        note="Italian, CIN letter",
    ),
    Sample(
        "Hier meine Bankdaten: PL61 1090 1014 0000 0712 1981 2874, Betreff egal.",
        frozenset({IBAN}),
        "de",
        note="Polish, 28 characters",
    ),
    Sample(
        "Meine IBAN lautet DE02 1203 0000 0000 2020 51, dann sparst du dir die Gebühr hier.",
        frozenset({IBAN}),
        "de",
        note="German, second bank",
    ),
    # ------------------------------------------------------------------ national_id
    Sample(
        "For the contract I'd need your ID card number too, mine is L01X00T471.",
        frozenset({NATIONAL_ID}),
        "en",
    ),
    Sample(
        "My German ID card number: C4H7K2M9N8, the name matches the invoice.",
        frozenset({NATIONAL_ID}),
        "en",
    ),
    Sample(
        "Personalausweis no. F8R3T6W1Z2, is that enough for your verification?",
        frozenset({NATIONAL_ID}),
        "en",
    ),
    Sample(
        "ID card number G7P2L9X4Y1, issued in Munich last year.",
        frozenset({NATIONAL_ID}),
        "en",
    ),
    Sample(
        "Here's the number from my Personalausweis as you asked: M3K8V1J6R1",
        frozenset({NATIONAL_ID}),
        "en",
    ),
    Sample(
        "Meine Ausweisnummer ist H5N0C3G7T8, brauchst du die für die Rechnung?",
        frozenset({NATIONAL_ID}),
        "de",
    ),
    Sample(
        "Personalausweis: Y9Z4W2L8P2",
        frozenset({NATIONAL_ID}),
        "de",
    ),
    Sample(
        "Hier die Nummer von meinem Personalausweis: N1T6F9R3C9",
        frozenset({NATIONAL_ID}),
        "de",
    ),
    Sample(
        "Ausweisnummer K2M5P8X0V8, falls du die für den Vertrag brauchst.",
        frozenset({NATIONAL_ID}),
        "de",
    ),
    Sample(
        "Für den Vertrag: Ausweisnummer R7G3H1W9L1, Steuer-ID 69740134256.",
        frozenset({NATIONAL_ID, TAX_ID}),
        "de",
        note="ID card and tax id together",
    ),
    # ------------------------------------------------------------------ tax_id
    Sample(
        "My German tax ID is 52690741399, please put it on the invoice.",
        frozenset({TAX_ID}),
        "en",
    ),
    Sample(
        "Steuer-ID: 30628175928, you'll need it for the invoice to my company.",
        frozenset({TAX_ID}),
        "en",
    ),
    Sample(
        "My tax identification number is 14208593642.",
        frozenset({TAX_ID}),
        "en",
    ),
    Sample(
        "For the German invoice: tax ID 90 375 461 422.",
        frozenset({TAX_ID}),
        "en",
        note="grouped 2-3-3-3",
    ),
    Sample(
        "Tax ID (Germany): 43251087869",
        frozenset({TAX_ID}),
        "en",
    ),
    Sample(
        "Meine Steuer-ID lautet 41893724065.",
        frozenset({TAX_ID}),
        "de",
    ),
    Sample(
        "Steueridentifikationsnummer 18852763496, falls du die brauchst.",
        frozenset({TAX_ID}),
        "de",
    ),
    Sample(
        "Hier noch meine IdNr fürs Finanzamt: 47105243893",
        frozenset({TAX_ID}),
        "de",
    ),
    Sample(
        "Für die Rechnung brauchst du meine steuerliche Identifikationsnummer: 75244038617",
        frozenset({TAX_ID}),
        "de",
    ),
    # ------------------------------------------------------------------ hard negatives (en)
    Sample(
        "The logo package is $450 with revisions included, delivery by 14.03.2025.",
        NONE,
        "en",
        note="price and date",
    ),
    Sample(
        "Order #FX-20418-77 is marked as delivered, can you confirm?",
        NONE,
        "en",
        note="order number",
    ),
    Sample(
        "Invoice INV-2024-000873 covers the three extra revisions.",
        NONE,
        "en",
        note="invoice number",
    ),
    Sample(
        "Tracking number 00340434161234567890, DHL says it arrives Thursday.",
        NONE,
        "en",
        note="20-digit parcel number",
    ),
    Sample(
        "UPS says parcel 14208593645 is sitting in Leipzig.",
        NONE,
        "en",
        note="11 digits failing the tax-id check",
    ),
    Sample(
        "Let's do the call at 14:30 CET on Tuesday, here in the platform chat.",
        NONE,
        "en",
        note="time",
    ),
    Sample(
        "I updated the plugin to v3.12.4 and the bug is gone.",
        NONE,
        "en",
        note="version",
    ),
    Sample(
        "Final size is 1920x1080, plus a 4000 x 4000 px version for print.",
        NONE,
        "en",
        note="sizes",
    ),
    Sample(
        "Use #1E90FF for the buttons and #F5F5F5 for the background.",
        NONE,
        "en",
        note="hex colours",
    ),
    Sample(
        "Fixed in commit 9f4c2a1e7b, pull and check again.",
        NONE,
        "en",
        note="git hash",
    ),
    Sample(
        "The checkout form rejects 4242 4242 4242 4241, I think the last digit is mistyped.",
        NONE,
        "en",
        note="fails Luhn",
    ),
    Sample(
        "The IBAN on your invoice, GB82 WEST 1234 5698 7654 31, fails validation, "
        "please double-check it.",
        NONE,
        "en",
        note="wrong mod-97 checksum",
    ),
    Sample(
        "Can the chat bubbles look a bit like WhatsApp's, rounded with a little tail?",
        NONE,
        "en",
        note="brand as a design reference",
    ),
    Sample(
        "I won't pay via PayPal, let's keep the whole payment on the platform.",
        NONE,
        "en",
        note="brand in a refusal",
    ),
    Sample(
        "The app needs a 'Share to Telegram' button next to the print option.",
        NONE,
        "en",
        note="brand as a feature to build",
    ),
    Sample(
        "The voice-over script mentions Revolut and Wise as sponsors, pronounce them the "
        "English way.",
        NONE,
        "en",
        note="brands as script content",
    ),
    Sample(
        "Our product is a TeamViewer alternative, so the landing page should compare the two.",
        NONE,
        "en",
        note="remote tool as a topic",
    ),
    Sample(
        "I'd rather not install AnyDesk, just send me a zip with the fixed files.",
        NONE,
        "en",
        note="remote tool refused",
    ),
    Sample(
        "I'm at the studio all day; the dot above the i in the logo should be orange.",
        NONE,
        "en",
        note="at/dot in prose",
    ),
    Sample(
        "Please look at the dot com and the dot de domains and tell me which one is free.",
        NONE,
        "en",
        note="at ... dot com in prose",
    ),
    Sample(
        "The translation is 12,480 words, at 0.09 per word that's 1,123.20.",
        NONE,
        "en",
        note="'at' with numbers",
    ),
    Sample(
        "@media (max-width: 600px) { .logo { width: 120px; } } breaks the header on mobile.",
        NONE,
        "en",
        note="CSS at-rule",
    ),
    Sample(
        "Export the icons as icon@2x.png and icon@3x.png for the retina screens.",
        NONE,
        "en",
        note="@2x asset names",
    ),
    Sample(
        "Wrap the view in @login_required and the decorator handles the redirect.",
        NONE,
        "en",
        note="Python decorator",
    ),
    Sample(
        "Your ID card number isn't needed here, the platform handles verification.",
        NONE,
        "en",
        note="keyword without a number",
    ),
    Sample(
        "SKU for the mug print is P4C8X2N7K8, please use it in the file name.",
        NONE,
        "en",
        note="ID-card-shaped code without an ID keyword",
    ),
    Sample(
        "Pricing: 3 logo concepts for €249, 5 for €349, rush delivery +€80.",
        NONE,
        "en",
        note="prices",
    ),
    Sample(
        "The ISBN for the book cover is 978-3-16-148410-0, put it above the barcode.",
        NONE,
        "en",
        note="ISBN",
    ),
    # ------------------------------------------------------------------ hard negatives (de)
    Sample(
        "Das Logo-Paket kostet 1.250,00 €, inklusive drei Korrekturschleifen.",
        NONE,
        "de",
        note="price",
    ),
    Sample(
        "Deine Bestellung #B-77412 ist unterwegs, Lieferung am 03.06.2025.",
        NONE,
        "de",
        note="order number; libphonenumber's matcher alone reads 03.06.2025 as a Berlin number",
    ),
    Sample(
        "Rechnungsnummer RE-58213, fällig bis zum 15.07.",
        NONE,
        "de",
        note="invoice number",
    ),
    Sample(
        "Die Sendungsnummer ist JJD000390007812345678, laut DHL kommt es morgen.",
        NONE,
        "de",
        note="tracking number",
    ),
    Sample(
        "Können wir um 9:45 Uhr kurz hier im Chat sprechen?",
        NONE,
        "de",
        note="time",
    ),
    Sample(
        "Bitte die Grafik in 300 dpi, Format DIN A4 (210 x 297 mm).",
        NONE,
        "de",
        note="sizes",
    ),
    Sample(
        "Lieferadresse: Hauptstraße 12, 80331 München.",
        NONE,
        "de",
        note="postcode",
    ),
    Sample(
        "Die Postleitzahl 01067 gehört zu Dresden, nicht zu Leipzig.",
        NONE,
        "de",
        note="postcode with a leading zero",
    ),
    Sample(
        "Farben: #FF6B35 und #004E89, Schrift Inter in 16px.",
        NONE,
        "de",
        note="hex colours",
    ),
    Sample(
        "Hab's in den Branch feature/header gepusht, Commit 3b7e9d0.",
        NONE,
        "de",
        note="git hash",
    ),
    Sample(
        "Version 2.0.13 ist live, der Fix für Safari ist drin.",
        NONE,
        "de",
        note="version",
    ),
    Sample(
        "Die IBAN DE75 5121 0800 1245 1261 98 kann nicht stimmen, die Prüfsumme passt nicht.",
        NONE,
        "de",
        note="wrong mod-97 checksum",
    ),
    Sample(
        "Die Kartennummer 5200 8282 8282 8211 wird abgelehnt, da ist wohl ein Zahlendreher drin.",
        NONE,
        "de",
        note="fails Luhn",
    ),
    Sample(
        "Kundennummer 30628175921, bitte bei Rückfragen angeben.",
        NONE,
        "de",
        note="11 digits failing the tax-id check",
    ),
    Sample(
        "Die Steuer-ID 41893724068 kann nicht stimmen, das Finanzamt meldet einen "
        "Prüfzifferfehler.",
        NONE,
        "de",
        note="tax-id keyword, number fails the check",
    ),
    Sample(
        "Im Mockup steht als Ausweisnummer der Platzhalter T220001294, das passt so.",
        NONE,
        "de",
        note="ID-card keyword, wrong check digit",
    ),
    Sample(
        "Ich zahle nicht über PayPal, bitte alles hier über die Plattform.",
        NONE,
        "de",
        note="brand in a refusal",
    ),
    Sample(
        "Die Farbpalette soll an Signal erinnern, viel Blau und Weiß.",
        NONE,
        "de",
        note="brand as a design reference",
    ),
    Sample(
        "Wir bauen eine Discord-Integration für den Shop, die Bot-Befehle stehen im Briefing.",
        NONE,
        "de",
        note="brand as a feature to build",
    ),
    Sample(
        "Im Sprechertext kommen WeChat und Threema vor, wie spricht man Threema richtig aus?",
        NONE,
        "de",
        note="brands as script content",
    ),
    Sample(
        "Der Artikel vergleicht AnyDesk und RustDesk, bitte die Fachbegriffe nicht übersetzen.",
        NONE,
        "de",
        note="remote tools as a translation topic",
    ),
    Sample(
        "Im CSS stehen @font-face und @import doppelt, deshalb lädt die Schrift zweimal.",
        NONE,
        "de",
        note="CSS at-rules",
    ),
    Sample(
        "Das @-Zeichen im Logo soll dünner werden, und der Punkt danach etwas größer.",
        NONE,
        "de",
        note="@ as a design element",
    ),
    Sample(
        "Maße: 85 x 55 mm Visitenkarte, Auflage 500 Stück, Preis 39,90 €.",
        NONE,
        "de",
        note="sizes and price",
    ),
    Sample(
        "Telefonnummern bitte nicht hier posten, die Plattform blockt das sowieso.",
        NONE,
        "de",
        note="keyword without a number",
    ),
    Sample(
        "Ticket-Nr. 4711-0815-2024 ist geschlossen, danke dir!",
        NONE,
        "de",
        note="ticket number",
    ),
    Sample(
        "Zeitraum: 01.02.2025 bis 28.02.2025, 20 Stunden à 45 €.",
        NONE,
        "de",
        note="date range and hourly rate",
    ),
    Sample(
        "Schau dir die Entwürfe at your own pace an, ich bin bis Freitag auf einer Messe.",
        NONE,
        "de",
        note="English 'at' in German prose",
    ),
)
