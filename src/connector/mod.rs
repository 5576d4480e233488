/*!
Talking to the real connector's account side: the registration API, saved profiles and the
credentials a command resolves.
*/

pub mod credentials;
pub mod profile;
pub mod registration;
