//! Signing in and the life of a session: lockouts after failed sign-ins, the idle lock,
//! unlocking, signing out, and [`Desk::authorize`].

use chrono::{DateTime, Duration, FixedOffset};

use super::*;

/// The account behind a live session, read afresh.
pub(super) struct SessionRow {
    pub(super) account: Account,
    pub(super) password_hash: String,
    pub(super) issued_at: String,
    pub(super) last_seen_at: String,
    pub(super) locked: bool,
    pub(super) ended: bool,
}

impl Desk {
    /// Refuses when `login` is locked out; returns the message to show.
    async fn lockout_message(
        &self,
        login: &str,
        now: &DateTime<FixedOffset>,
    ) -> Result<Option<String>> {
        let until =
            store::accounts::locked_until(self.store.pool(), &normalize_login(login)).await?;
        if let Some(s) = until {
            let t = parse_time(&s)?;
            if t > *now {
                return Ok(Some(format!(
                    "连续{MAX_FAILED_SIGN_INS}次密码错误，账号已锁定至{}，请稍后再试或请管理员解锁",
                    short_time(&t)
                )));
            }
        }
        Ok(None)
    }

    /// Counts a failure for `login`; returns the message to show (a lockout's when this
    /// failure locked it).
    pub(super) async fn record_failure(&self, login: &str) -> Result<String> {
        let (now, _) = self.rfc3339_now();
        let mut tx = self.store.write().await?;
        let failures = store::accounts::count_failure(
            &mut tx,
            &normalize_login(login),
            &now.to_rfc3339(),
            &(now - Duration::days(THROTTLE_MEMORY_DAYS)).to_rfc3339(),
        )
        .await?;
        let message = if failures >= MAX_FAILED_SIGN_INS {
            let until = now + Duration::minutes(LOCKOUT_MINUTES);
            store::accounts::lock_out(&mut tx, &normalize_login(login), &until.to_rfc3339())
                .await?;
            format!(
                "连续{MAX_FAILED_SIGN_INS}次密码错误，账号已锁定至{}，请稍后再试或请管理员解锁",
                short_time(&until)
            )
        } else {
            SIGN_IN_FAILED.to_string()
        };
        tx.commit().await?;
        Ok(message)
    }

    async fn clear_failures(&self, login: &str) -> Result<()> {
        store::accounts::clear_failures(self.store.pool(), &normalize_login(login)).await
    }

    /// Signs in. A wrong password and an unknown login read the same; after
    /// [`MAX_FAILED_SIGN_INS`] failures in a row the login is locked for
    /// [`LOCKOUT_MINUTES`] minutes and the message says until when.
    pub async fn sign_in(&self, login: &str, password: &str) -> Result<Session> {
        let now = self.now();
        if let Some(message) = self.lockout_message(login, &now).await? {
            return Err(CoreError::Unauthenticated(message));
        }
        let mut conn = self.store.pool().acquire().await?;
        let found = match self.account_in(&mut conn, login, &now).await {
            Ok(found) => Some(found),
            Err(CoreError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        drop(conn);
        let Some((account, hash)) = found else {
            let _ = verify_password(password, dummy_hash());
            return Err(CoreError::Unauthenticated(
                self.record_failure(login).await?,
            ));
        };
        if !verify_password(password, &hash) {
            return Err(CoreError::Unauthenticated(
                self.record_failure(login).await?,
            ));
        }
        if !account.active {
            // Only someone who knows the password learns the account is disabled.
            return Err(CoreError::Unauthenticated(
                "该账号已停用，请联系管理员".into(),
            ));
        }
        self.clear_failures(login).await?;
        let id = new_session_id()?;
        let stamp = now.to_rfc3339();
        store::sessions::insert(self.store.pool(), &id_hash(&id), account.id, &stamp).await?;
        Ok(Session {
            id,
            account,
            issued_at: stamp.clone(),
            last_seen_at: stamp,
        })
    }

    pub(super) async fn session_row(&self, session: &Session) -> Result<SessionRow> {
        let now = self.now();
        let row = store::sessions::find(self.store.pool(), &id_hash(&session.id))
            .await?
            .ok_or_else(|| CoreError::Unauthenticated("登录已失效，请重新登录".into()))?;
        let password_hash = row.account.password_hash.clone();
        Ok(SessionRow {
            account: account_of(row.account, &now)?,
            password_hash,
            issued_at: row.issued_at,
            last_seen_at: row.last_seen_at,
            locked: row.locked,
            ended: row.ended_at.is_some(),
        })
    }

    /// The session for a session id (a script's `--session`), without touching it.
    pub async fn resume_session(&self, session_id: &str) -> Result<Session> {
        let probe = Session {
            id: session_id.trim().to_string(),
            account: Account {
                id: 0,
                login: String::new(),
                display_name: String::new(),
                window_no: String::new(),
                roles: vec![],
                active: false,
                locked_until: None,
                created_at: String::new(),
            },
            issued_at: String::new(),
            last_seen_at: String::new(),
        };
        let row = self.session_row(&probe).await?;
        if row.ended {
            return Err(CoreError::Unauthenticated("登录已失效，请重新登录".into()));
        }
        Ok(Session {
            id: probe.id,
            account: row.account,
            issued_at: row.issued_at,
            last_seen_at: row.last_seen_at,
        })
    }

    /// Marks the session used now. Refuses an ended session, a disabled account, and a
    /// locked session; a session idle for the desk's idle minutes locks here.
    pub async fn touch(&self, session: &Session) -> Result<Session> {
        self.touch_row(session).await.map(|(s, _)| s)
    }

    pub(super) async fn touch_actor(&self, session: &Session) -> Result<Actor> {
        self.touch_row(session).await.map(|(_, a)| a)
    }

    async fn touch_row(&self, session: &Session) -> Result<(Session, Actor)> {
        self.check_row(session, true).await
    }

    /// The checks of [`Desk::touch`]; `mark_used` false leaves the idle time running (a
    /// window's background refresh is not use).
    async fn check_row(&self, session: &Session, mark_used: bool) -> Result<(Session, Actor)> {
        let row = self.session_row(session).await?;
        if row.ended {
            return Err(CoreError::Unauthenticated("登录已失效，请重新登录".into()));
        }
        if !row.account.active {
            return Err(CoreError::Unauthenticated(
                "该账号已停用，请联系管理员".into(),
            ));
        }
        let idle = self.idle_lock_minutes().await?;
        let (now, stamp) = self.rfc3339_now();
        let idle_for = now - parse_time(&row.last_seen_at)?;
        if row.locked || idle_for >= Duration::minutes(i64::from(idle)) {
            if !row.locked {
                store::sessions::lock(self.store.pool(), &id_hash(&session.id)).await?;
            }
            return Err(CoreError::Unauthenticated(format!(
                "超过{idle}分钟未操作，窗口已锁定，请输入密码解锁"
            )));
        }
        let stamp = if mark_used {
            store::sessions::touch(self.store.pool(), &id_hash(&session.id), &stamp).await?;
            stamp
        } else {
            row.last_seen_at.clone()
        };
        let actor = Actor {
            account_id: row.account.id,
            login: row.account.login.clone(),
            name: row.account.display_name.clone(),
            window_no: row.account.window_no.clone(),
        };
        Ok((
            Session {
                id: session.id.clone(),
                account: row.account,
                issued_at: row.issued_at,
                last_seen_at: stamp,
            },
            actor,
        ))
    }

    /// Unlocks an idle-locked session with the account's password. A wrong password counts
    /// towards the lockout like a failed sign-in.
    pub async fn unlock(&self, session: &Session, password: &str) -> Result<Session> {
        let row = self.session_row(session).await?;
        if row.ended {
            return Err(CoreError::Unauthenticated("登录已失效，请重新登录".into()));
        }
        let login = row.account.login.clone();
        let now = self.now();
        if let Some(message) = self.lockout_message(&login, &now).await? {
            return Err(CoreError::Unauthenticated(message));
        }
        if !verify_password(password, &row.password_hash) {
            return Err(CoreError::Unauthenticated(
                self.record_failure(&login).await?,
            ));
        }
        if !row.account.active {
            return Err(CoreError::Unauthenticated(
                "该账号已停用，请联系管理员".into(),
            ));
        }
        self.clear_failures(&login).await?;
        store::sessions::unlock(self.store.pool(), &id_hash(&session.id), &now.to_rfc3339())
            .await?;
        self.touch(session).await
    }

    /// Ends the session.
    pub async fn sign_out(&self, session: &Session) -> Result<()> {
        let (_, stamp) = self.rfc3339_now();
        store::sessions::end(self.store.pool(), &id_hash(&session.id), &stamp).await
    }

    /// The acting person, when the session is live (see [`Desk::touch`]) and one of the
    /// account's roles grants `permission`; else `Unauthenticated` or `Forbidden`.
    pub async fn authorize(&self, session: &Session, permission: Permission) -> Result<Actor> {
        self.authorize_with(session, permission, true).await
    }

    /// [`Desk::authorize`] for a background refresh (a status poll): the same checks, but
    /// it does not count as use, so an unattended window still locks.
    pub async fn authorize_quietly(
        &self,
        session: &Session,
        permission: Permission,
    ) -> Result<Actor> {
        self.authorize_with(session, permission, false).await
    }

    async fn authorize_with(
        &self,
        session: &Session,
        permission: Permission,
        mark_used: bool,
    ) -> Result<Actor> {
        let (fresh, actor) = self.check_row(session, mark_used).await?;
        if !roles_allow(&fresh.account.roles, permission) {
            return Err(CoreError::Forbidden(format!(
                "当前账号（{}）无权{}",
                roles_label(&fresh.account.roles),
                permission.label()
            )));
        }
        Ok(actor)
    }

    /// The window's view of `session` (see [`AuthStatus`]); does not touch the session.
    pub async fn auth_status(&self, session: Option<&Session>) -> Result<AuthStatus> {
        let idle_minutes = self.idle_lock_minutes().await?;
        let demo = self.is_demo().await?;
        let mut status = AuthStatus {
            has_accounts: self.has_accounts().await?,
            account: None,
            locked: false,
            permissions: vec![],
            idle_minutes,
            demo_accounts: vec![],
            demo_password: None,
        };
        if demo {
            let now = self.now();
            for (login, ..) in DEMO_ACCOUNTS {
                let mut conn = self.store.pool().acquire().await?;
                match self.account_in(&mut conn, login, &now).await {
                    Ok((account, _)) if account.active => status.demo_accounts.push(account),
                    Ok(_) | Err(CoreError::NotFound(_)) => {}
                    Err(e) => return Err(e),
                }
            }
            status.demo_password = Some(DEMO_PASSWORD.to_string());
        }
        let Some(session) = session else {
            return Ok(status);
        };
        let row = match self.session_row(session).await {
            Ok(row) => row,
            Err(CoreError::Unauthenticated(_)) => return Ok(status),
            Err(e) => return Err(e),
        };
        if row.ended || !row.account.active {
            return Ok(status);
        }
        let idle_for = self.now() - parse_time(&row.last_seen_at)?;
        status.locked = row.locked || idle_for >= Duration::minutes(i64::from(idle_minutes));
        status.permissions = permissions_of(&row.account.roles);
        status.account = Some(row.account);
        Ok(status)
    }

    /// The hub call log, for a session allowed [`Permission::ViewCallLog`].
    pub async fn call_log_list_as(
        &self,
        session: &Session,
        failures_only: bool,
        limit: u32,
    ) -> Result<Vec<crate::model::CallLogRecord>> {
        self.authorize(session, Permission::ViewCallLog).await?;
        self.call_log_list(failures_only, limit).await
    }
}
