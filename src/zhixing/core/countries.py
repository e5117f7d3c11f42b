"""Country and region codes of identity documents: ISO 3166-1 alpha-3 and the ICAO Doc 9303 additions.

A passport's issuing State and an overseas organisation's country of registration are written with
these 3-letter codes (as in a passport's machine-readable zone). Pure data, no Django.
"""

from __future__ import annotations

# ISO 3166-1 alpha-3: the 249 officially assigned codes (HKG Hong Kong, MAC Macao and TWN Taiwan among them).
_ISO = """
ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR BHR
BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL
COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK
FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV
HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO
LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG
MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN
PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE
SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO
TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
"""
# ICAO Doc 9303 Part 3 codes beyond ISO 3166: British nationals of other kinds, the United Nations and
# its agencies, the European Union, Kosovo, stateless persons and refugees.
_ICAO = "GBD GBN GBO GBP GBS UNO UNA UNK EUE RKS XXA XXB XXC XXX"

ISO3166_ALPHA3: frozenset[str] = frozenset(_ISO.split()) | frozenset(_ICAO.split())
