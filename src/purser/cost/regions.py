"""The commercial AWS regions and the location names AWS's price lists give them.

AWS's Price List names a region by its location ("US East (Ohio)") in older offer files
and pricing-page data, by its code ("us-east-2") in newer ones; the catalog keys prices
by code. The list is the `aws` partition of botocore's endpoint data (34 regions, late
2025), without GovCloud, China or the European Sovereign Cloud.
"""

from __future__ import annotations

#: Region code → the location name AWS's price lists use for it.
COMMERCIAL_REGIONS: dict[str, str] = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "af-south-1": "Africa (Cape Town)",
    "ap-east-1": "Asia Pacific (Hong Kong)",
    "ap-east-2": "Asia Pacific (Taipei)",
    "ap-south-1": "Asia Pacific (Mumbai)",
    "ap-south-2": "Asia Pacific (Hyderabad)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "ap-southeast-3": "Asia Pacific (Jakarta)",
    "ap-southeast-4": "Asia Pacific (Melbourne)",
    "ap-southeast-5": "Asia Pacific (Malaysia)",
    "ap-southeast-6": "Asia Pacific (New Zealand)",
    "ap-southeast-7": "Asia Pacific (Thailand)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-northeast-2": "Asia Pacific (Seoul)",
    "ap-northeast-3": "Asia Pacific (Osaka)",
    "ca-central-1": "Canada (Central)",
    "ca-west-1": "Canada West (Calgary)",
    "eu-central-1": "EU (Frankfurt)",
    "eu-central-2": "EU (Zurich)",
    "eu-west-1": "EU (Ireland)",
    "eu-west-2": "EU (London)",
    "eu-west-3": "EU (Paris)",
    "eu-south-1": "EU (Milan)",
    "eu-south-2": "EU (Spain)",
    "eu-north-1": "EU (Stockholm)",
    "il-central-1": "Israel (Tel Aviv)",
    "me-south-1": "Middle East (Bahrain)",
    "me-central-1": "Middle East (UAE)",
    "mx-central-1": "Mexico (Central)",
    "sa-east-1": "South America (Sao Paulo)",
}

#: Location name → region code (AWS writes "Europe (Ireland)" in newer data, "EU" in older).
REGION_BY_LOCATION: dict[str, str] = {
    **{name: code for code, name in COMMERCIAL_REGIONS.items()},
    **{name.replace("EU (", "Europe ("): code for code, name in COMMERCIAL_REGIONS.items()
       if name.startswith("EU (")},
}
