//! The bulk-update files: one enum that knows each file's path, header, whether it is a machine
//! import (validated values only, written as they are) and what it is for. The report selects rows
//! for them, the writers render them and the rule texts name them, all through this enum.

/// The Entra bulk group-member template header (current and `version:v1.0` templates alike).
pub const GROUP_HEADER: &str =
    "Member object ID or user principal name [memberObjectIdOrUpn] Required";

/// One bulk-update file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BulkFile {
    GroupAdd,
    GroupRemove,
    PerUserMfa,
    PhonePrepopulate,
    RevokeSessions,
    DirectoryPhoneFixes,
    PasskeyCampaign,
}

impl BulkFile {
    /// Every bulk file, in the order they are written and listed.
    pub const ALL: [BulkFile; 7] = [
        BulkFile::GroupAdd,
        BulkFile::GroupRemove,
        BulkFile::PerUserMfa,
        BulkFile::PhonePrepopulate,
        BulkFile::RevokeSessions,
        BulkFile::DirectoryPhoneFixes,
        BulkFile::PasskeyCampaign,
    ];

    /// Path inside the output folder, e.g. `bulk/revoke-sessions.csv`.
    pub fn path(self) -> &'static str {
        match self {
            BulkFile::GroupAdd => "bulk/registration-group-add.csv",
            BulkFile::GroupRemove => "bulk/registration-group-remove.csv",
            BulkFile::PerUserMfa => "bulk/per-user-mfa-bulk-update.csv",
            BulkFile::PhonePrepopulate => "bulk/phone-methods-prepopulate.csv",
            BulkFile::RevokeSessions => "bulk/revoke-sessions.csv",
            BulkFile::DirectoryPhoneFixes => "bulk/directory-phone-fixes.csv",
            BulkFile::PasskeyCampaign => "bulk/passkey-campaign-group-add.csv",
        }
    }

    /// The file name without its folder.
    pub fn file_name(self) -> &'static str {
        self.path().trim_start_matches("bulk/")
    }

    pub fn header(self) -> &'static [&'static str] {
        match self {
            BulkFile::GroupAdd | BulkFile::GroupRemove | BulkFile::PasskeyCampaign => {
                &[GROUP_HEADER]
            }
            BulkFile::PerUserMfa => &["Username", "MFA Status"],
            BulkFile::PhonePrepopulate => &["userPrincipalName", "phoneNumber", "phoneType"],
            BulkFile::RevokeSessions => &["userPrincipalName", "id"],
            BulkFile::DirectoryPhoneFixes => &[
                "userPrincipalName",
                "displayName",
                "department",
                "problem",
                "currentValue",
            ],
        }
    }

    /// A machine-import file holds only validated values and is written as it is; the others
    /// are read by people, so formula text in them is neutralised.
    pub fn machine_import(self) -> bool {
        !matches!(self, BulkFile::DirectoryPhoneFixes)
    }

    /// Uses the Entra group-member template (which has a `version:v1.0` variant).
    pub fn group_template(self) -> bool {
        matches!(
            self,
            BulkFile::GroupAdd | BulkFile::GroupRemove | BulkFile::PasskeyCampaign
        )
    }

    pub fn purpose(self) -> &'static str {
        match self {
            BulkFile::GroupAdd => {
                "Accounts not registered or with unknown registration: add them to the registration campaign / Conditional Access target group."
            }
            BulkFile::GroupRemove => {
                "In-scope accounts already registered: take them out of the campaign group."
            }
            BulkFile::PerUserMfa => {
                "Registered accounts (or with an authentication phone) not yet at the per-user MFA target state."
            }
            BulkFile::PhonePrepopulate => {
                "Unregistered accounts whose directory mobile number can be pre-populated as their mobile phone method."
            }
            BulkFile::RevokeSessions => {
                "stale-kmsi accounts: revoking sessions forces an interactive sign-in, which shows the registration prompt."
            }
            BulkFile::DirectoryPhoneFixes => {
                "Missing, invalid and shared directory mobile numbers to correct at the source of authority."
            }
            BulkFile::PasskeyCampaign => {
                "Accounts that still depend on SMS or voice (weak-methods-only, telephony-in-use): the security group to target with the passkey registration campaign and to scope the communications to, before SMS and voice stop."
            }
        }
    }

    /// How to apply the file.
    pub fn how(self) -> &'static str {
        match self {
            BulkFile::GroupAdd => {
                "Entra admin center > Groups > (group) > Members > Bulk operations > Import members; upload the file as it is."
            }
            BulkFile::GroupRemove => {
                "Entra admin center > Groups > (group) > Members > Bulk operations > Remove members."
            }
            BulkFile::PerUserMfa => {
                "Legacy multifactor authentication page (per-user MFA) > bulk update; upload the file."
            }
            BulkFile::PhonePrepopulate => {
                "A script looping POST /users/{userPrincipalName}/authentication/phoneMethods with phoneNumber and phoneType (New-MgUserAuthenticationPhoneMethod)."
            }
            BulkFile::RevokeSessions => {
                "A script looping POST /users/{id}/revokeSignInSessions (Revoke-MgUserSignInSession -UserId)."
            }
            BulkFile::DirectoryPhoneFixes => {
                "Hand to the HR / directory team; fix in on-premises AD or the HR feed, or Update-MgUser -MobilePhone for cloud-only accounts."
            }
            BulkFile::PasskeyCampaign => {
                "Create a security group, import the file (Groups > (group) > Members > Bulk operations > Import members), then target the group in Authentication methods > Registration campaign and enable passkeys (Fido2) for it."
            }
        }
    }
}

impl serde::Serialize for BulkFile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.path())
    }
}

#[cfg(test)]
mod tests {
    use super::BulkFile;

    #[test]
    fn paths_are_distinct_csv_files_under_bulk() {
        let mut seen = std::collections::HashSet::new();
        for f in BulkFile::ALL {
            assert!(f.path().starts_with("bulk/") && f.path().ends_with(".csv"));
            assert!(!f.file_name().contains('/'));
            assert!(seen.insert(f.path()), "{} twice", f.path());
            assert!(!f.header().is_empty() && !f.purpose().is_empty() && !f.how().is_empty());
        }
    }

    #[test]
    fn only_the_directory_fixes_are_for_people() {
        let human: Vec<BulkFile> = BulkFile::ALL
            .into_iter()
            .filter(|f| !f.machine_import())
            .collect();
        assert_eq!(human, vec![BulkFile::DirectoryPhoneFixes]);
    }
}
