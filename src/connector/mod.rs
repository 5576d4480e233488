/*!
Talking to the real connector's account side: the registration API, saved profiles and the
credentials a command resolves.
*/

pub(crate) mod credentials;
pub(crate) mod profile;
pub(crate) mod registration;
