package dev.switchboard.container;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/** Starts the servers with the web application and stops them (clients told "server shutting down") with it. */
@WebListener
public class SwitchboardBootstrap implements ServletContextListener {
    @Inject
    SwitchboardRuntime runtime;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        runtime.start(event.getServletContext());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        runtime.stop();
    }
}
